using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// The access rules live once (<see cref="TicketAccess"/>, <see cref="MessageRules"/>) but the hot post SQL repeats
/// them for speed. For every kind of viewer, open and closed, note and not: the SQL, the LINQ form and the in-memory
/// form give the same answer, and that answer is the contract's (owner and staff see a ticket, only staff see notes).
/// </summary>
public abstract class TicketAccessSqlTests(TestApp app)
{
    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var viewer in new[] { "owner", "other customer", "guest", "agent", "admin" })
        foreach (var closed in new[] { false, true })
        foreach (var note in new[] { false, true })
            data.Add(viewer, closed, note);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_post_SQL_and_the_rules_agree(string kind, bool closed, bool note)
    {
        var owner = Unique.Customer();
        var ownerClient = app.ClientFor(owner);
        var ticketId = (await ownerClient.CreateTicket()).Str("id");
        var noteId = (await app.ClientFor(Unique.Agent()).PostMessage(ticketId, "a message", @internal: note)).Str("id");
        if (closed) await ownerClient.PostAsync($"/api/v1/tickets/{ticketId}/close", null);
        var viewer = kind switch
        {
            "owner" => owner, "other customer" => Unique.Customer(), "guest" => Unique.Guest(), "agent" => Unique.Agent(), _ => Unique.Admin(),
        };
        var user = new CurrentUser(viewer.Id, viewer.Username, null, viewer.Role);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId);
        var message = await db.Messages.SingleAsync(m => m.Id == noteId);

        // The contract, written out, so the rule and the SQL cannot agree on a wrong answer.
        var staff = kind is "agent" or "admin";
        var seesTicket = staff || kind == "owner";
        Assert.Equal(seesTicket, TicketAccess.CanSee(user, ticket));
        Assert.Equal(closed, TicketAccess.IsClosed(ticket));
        Assert.Equal(seesTicket && (staff || !note), TicketAccess.CanSee(user, ticket) && MessageRules.CanSee(user, message));

        // LINQ (translated by EF for this store) answers as the compiled rule does.
        Assert.Equal(seesTicket, await db.Tickets.Where(TicketAccess.VisibleTo(user)).AnyAsync(t => t.Id == ticketId));
        Assert.Equal(!closed, await db.Tickets.Where(TicketAccess.IsOpen).AnyAsync(t => t.Id == ticketId));
        Assert.Equal(MessageRules.CanSee(user, message), await db.Messages.Where(MessageRules.VisibleTo(user)).AnyAsync(m => m.Id == noteId));

        // The hand-written SQL of a post (MessageSql.Bump) lets exactly those through who see the ticket while it is open.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var post = new Message
        {
            Id = Guid.NewGuid().ToString("N"), TicketId = ticketId, AuthorId = user.Id, AuthorName = user.Username,
            AuthorRole = user.Role, Content = "probe", Internal = note, CreatedAt = now, UpdatedAt = now,
        };
        var written = await scope.ServiceProvider.GetRequiredService<MessageBatcher>()
            .WriteAsync(EventWrites.Post(app.Services, post, user.IsStaff), _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TicketAccess.CanSee(user, ticket) && !TicketAccess.IsClosed(ticket), written is not null);
    }
}

public sealed class SqliteTicketAccessSqlTests(SqliteApp app) : TicketAccessSqlTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTicketAccessSqlTests(PostgresApp app) : TicketAccessSqlTests(app), IClassFixture<PostgresApp>;
