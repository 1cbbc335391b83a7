using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// The group-committed ticket creates, on the real app and database: creates that share one transaction keep their
/// own outcome (created, at the cap, key taken), and every column, event and outbox row of the ticket is written.
/// </summary>
public abstract class TicketBatcherTests(TestApp app)
{
    [Fact]
    public async Task Creates_in_one_batch_each_keep_their_own_outcome()
    {
        var (a, b, c) = (Unique.Customer(), Unique.Customer(), Unique.Customer());
        var key = Guid.NewGuid().ToString("N");

        var (outcomes, committed) = await CreateInOneBatch(
            New(a, "a1"), New(a, "a2"), New(a, "a3"), New(b, "b keyed", key), New(b, "b keyed again", key), New(c, "c1"));

        Assert.NotNull(outcomes[0].Ticket);
        Assert.NotNull(outcomes[1].Ticket);
        Assert.Same(CreateOutcome.CapReached, outcomes[2]); // the cap (2) counts a1 and a2 of the same transaction
        Assert.NotNull(outcomes[3].Ticket);
        Assert.Same(CreateOutcome.KeyTaken, outcomes[4]);
        Assert.NotNull(outcomes[5].Ticket);
        var numbers = new[] { 0, 1, 3, 5 }.Select(i => outcomes[i].Ticket!.Number).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(4, numbers.Distinct().Count());
        Assert.Equal(["held", "a1", "a2", "b keyed", "c1"], committed);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(["a1", "a2"], await db.Tickets.Where(t => t.UserId == a.Id).OrderBy(t => t.Number).Select(t => t.Topic).ToListAsync());
        Assert.Equal(["b keyed"], await db.Tickets.Where(t => t.UserId == b.Id).Select(t => t.Topic).ToListAsync());
    }

    [Fact]
    public async Task Twelve_creates_of_one_customer_in_one_batch_stop_exactly_at_a_cap_of_3()
    {
        var customer = Unique.Customer();

        var (outcomes, committed) = await CreateInOneBatch(Enumerable.Range(0, 12).Select(i => New(customer, $"t{i}", maxOpen: 3)).ToArray());

        Assert.All(outcomes.Take(3), o => Assert.NotNull(o.Ticket));
        Assert.All(outcomes.Skip(3), o => Assert.Same(CreateOutcome.CapReached, o));
        Assert.Equal(["held", "t0", "t1", "t2"], committed);
    }

    [Fact]
    public async Task A_created_ticket_has_every_field_it_was_given_and_its_event()
    {
        var customer = Unique.Customer();
        var ticket = New(customer, "all fields", "key-1").Ticket;
        ticket.Email = "c@example.com";
        ticket.AssigneeId = "someone";
        ticket.IssueLevel = "URGENT";
        ticket.SupportRole = "TECHNICAL";
        ticket.SlaFirstResponseDueAt = 1_800_003_600;
        var create = EventWrites.Create(app.Services, ticket, null);

        var (outcomes, _) = await CreateInOneBatch(create);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Tickets.SingleAsync(t => t.Id == ticket.Id);
        var written = outcomes[0].Ticket!;
        // Every property, by reflection: a field added to Ticket later is checked without touching this test.
        foreach (var property in typeof(Ticket).GetProperties())
            Assert.True(Equals(property.GetValue(stored), property.GetValue(written)),
                $"Ticket.{property.Name}: stored {property.GetValue(stored)}, the create gave {property.GetValue(written)}");
        Assert.True(written.Number > 0);
        Assert.Equal(1, stored.LastEventSeq);
        var e = await db.Events.SingleAsync(e => e.TicketId == ticket.Id);
        Assert.Equal((create.EventId, EventTypes.TicketCreated, 1L, 1_800_000_000L), (e.EventId, e.Type, e.Seq, e.Created));
        // The bytes the EF create wrote: the ticket's template with its number.
        Assert.Equal(app.Services.GetRequiredService<EventWriter>().TicketTemplate(stored), e.Data);
    }

    [Fact]
    public async Task With_the_Discord_outbox_on_a_create_writes_its_outbox_row_and_a_refused_one_does_not()
    {
        var customer = Unique.Customer();
        var creates = Enumerable.Range(0, 3).Select(i => New(customer, $"t{i}") with { Outbox = true }).ToArray();

        var (outcomes, _) = await CreateInOneBatch(creates);

        Assert.Same(CreateOutcome.CapReached, outcomes[2]);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = creates.Select(c => c.Ticket.Id).ToList();
        var rows = await db.Outbox.Where(o => ids.Contains(o.TicketId)).ToListAsync();
        Assert.Equal(ids.Take(2).Order(), rows.Select(r => r.TicketId).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal(SupportTicket.Server.Outbox.OutboxKinds.TicketCreated, r.Kind);
            Assert.Null(r.MessageId);
            Assert.Equal(1_800_000_000_000, r.CreatedAt);
            Assert.Equal(r.CreatedAt, r.NextAttemptAt);
            Assert.Equal(0, r.Attempts);
        });
        Assert.Equal(ids.Take(2).Order(), (await db.Events.Where(e => ids.Contains(e.TicketId)).Select(e => e.TicketId).ToListAsync()).Order());
    }

    [Fact]
    public async Task Sixty_four_concurrent_creates_of_distinct_customers_all_commit_with_their_event_and_outbox_row()
    {
        var batcher = app.Services.GetRequiredService<ITicketCreator>();
        var creates = Enumerable.Range(0, 64).Select(i => New(Unique.Customer(), $"c{i}") with { Outbox = true }).ToArray();

        var outcomes = await Task.WhenAll(creates.Select(c => Task.Run(() => batcher.CreateAsync(c, _ => { }, CancellationToken.None))));

        var numbers = outcomes.Select(o => o.Ticket!.Number).Order().ToList();
        Assert.Equal(64, numbers.Distinct().Count());
        if (app.Store == Store.Sqlite) Assert.Equal(63, numbers[^1] - numbers[0]); // gap-free (nothing else creates meanwhile)
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = creates.Select(c => c.Ticket.Id).ToList();
        var stored = await db.Tickets.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Number);
        Assert.Equal(outcomes.Select(o => (o.Ticket!.Id, o.Ticket.Number)).Order(), stored.Select(kv => (kv.Key, kv.Value)).Order());
        var events = await db.Events.Where(e => ids.Contains(e.TicketId)).ToListAsync();
        Assert.Equal(ids.Order(), events.Select(e => e.TicketId).Order());
        Assert.All(events, e => Assert.Contains($"\"number\":{stored[e.TicketId]},", e.Data));
        Assert.Equal(ids.Order(), (await db.Outbox.Where(o => ids.Contains(o.TicketId)).Select(o => o.TicketId).ToListAsync()).Order());
    }

    protected readonly Exception?[] LastErrors = new Exception?[16];

    protected TicketWrite New(TestUser customer, string topic, string? key = null, int? maxOpen = 2) => EventWrites.Create(app.Services, new Ticket
    {
        Id = Guid.CreateVersion7().ToString("N"), UserId = customer.Id, Username = customer.Username, UserRole = customer.Role,
        Topic = topic, Description = "d", CreatedAt = 1_800_000_000, UpdatedAt = 1_800_000_000, PublicUpdatedAt = 1_800_000_000,
        IdempotencyKey = key,
    }, maxOpen);

    /// <summary>Blocks the create writer until the returned step runs: the writer waits with its first create.</summary>
    protected abstract Task<Func<Task>> HoldWritesAsync();

    /// <summary>
    /// Holds the writer while a first create ("held") waits in it and the given creates queue behind it in the
    /// batcher, so it takes them as one transaction once let go. Returns each create's outcome (null where it failed;
    /// its error in <see cref="LastErrors"/>) and the committed steps in order.
    /// </summary>
    protected async Task<(CreateOutcome[] Outcomes, List<string> Committed)> CreateInOneBatch(params TicketWrite[] creates)
    {
        var batcher = app.Services.GetRequiredService<ITicketCreator>();
        var committed = new ConcurrentQueue<string>();
        Task<CreateOutcome> Create(TicketWrite w) => batcher.CreateAsync(w, t => committed.Enqueue(t.Topic), CancellationToken.None);
        var release = await HoldWritesAsync();
        var held = Create(New(Unique.Customer(), "held"));
        await Task.Delay(200); // let the writer take "held" and wait; the outcomes below hold either way
        var writes = creates.Select(Create).ToArray();
        await Task.Delay(100);
        await release();
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        var outcomes = new CreateOutcome[writes.Length];
        for (var i = 0; i < writes.Length; i++)
        {
            try { outcomes[i] = await writes[i].WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (Exception e) when (e is not TimeoutException) { LastErrors[i] = e; outcomes[i] = null!; }
        }
        return (outcomes, committed.ToList());
    }
}
