using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Outbox;

/// <summary>
/// A consumer that needs its own queue row beside the event (today the Discord mirror, with its per-ticket parking
/// and fenced claims): it registers one of these, and <see cref="OutboxWriter"/> writes the rows while any is.
/// </summary>
public sealed record OutboxConsumer(string Name);

/// <summary>
/// The one writer of a change's outbox, inside the caller's transaction: the event row (the stream every consumer
/// reads with its own cursor: webhooks, the feed, e-mail) and, while a consumer is registered, the Discord mirror's
/// queue row, so they commit (or not) with the change itself. The EF write paths call <see cref="AppendAsync"/> and
/// <see cref="AddCreated"/>; the group-committed hot writes (Storage/MessageSql, Storage/TicketSql,
/// SqliteMessageBatcher) embed <see cref="SqlColumns"/>/<see cref="SqlValues"/> in their own statements, so the row
/// is spelled here once. Without a consumer no queue row is written: it would only grow.
/// </summary>
public sealed class OutboxWriter(EventWriter events, IEnumerable<OutboxConsumer> consumers, TimeProvider clock)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public bool Enabled { get; } = consumers.Any();

    /// <summary>
    /// The change's event and, when <paramref name="mirror"/> and its type is one the mirror shows, its queue row,
    /// staged in the caller's open transaction (the event is written now, the row by the caller's SaveChanges).
    /// </summary>
    public async Task AppendAsync(AppDbContext db, string type, string ticketId, string data, CancellationToken ct, bool mirror = true, string? messageId = null)
    {
        await events.AppendAsync(db, type, ticketId, data, ct);
        if (mirror && KindOf(type) is { } kind) Add(db, ticketId, kind, messageId);
    }

    /// <summary>A ticket created through EF (SQLite): its ticket.created event and queue row, for the caller's SaveChanges.</summary>
    public void AddCreated(AppDbContext db, Ticket ticket, bool mirror)
    {
        events.AddCreated(db, ticket);
        if (mirror) Add(db, ticket.Id, OutboxKinds.TicketCreated);
    }

    /// <summary>The mirror's kind for an event type; null for types it does not show (later features' events).</summary>
    public static string? KindOf(string eventType) => eventType switch
    {
        EventTypes.TicketCreated => OutboxKinds.TicketCreated,
        EventTypes.TicketUpdated => OutboxKinds.TicketUpdated,
        EventTypes.TicketClosed => OutboxKinds.TicketClosed,
        EventTypes.TicketReopened => OutboxKinds.TicketReopened,
        EventTypes.TicketDeleted => OutboxKinds.TicketDeleted,
        EventTypes.MessageCreated => OutboxKinds.MessagePosted,
        EventTypes.MessageUpdated => OutboxKinds.MessageEdited,
        EventTypes.MessageDeleted => OutboxKinds.MessageDeleted,
        _ => null,
    };

    /// <summary>The columns a queue row is written with by hand-written SQL.</summary>
    internal const string SqlColumns = "ticket_id, kind, message_id, created_at, attempts, next_attempt_at";

    /// <summary>Its values: SQL expressions for the ticket id, the message id and the time in Unix seconds.</summary>
    internal static string SqlValues(string ticketId, string kind, string messageId, string nowSeconds) =>
        $"{ticketId}, '{kind}', {messageId}, {nowSeconds} * 1000, 0, {nowSeconds} * 1000";

    private void Add(AppDbContext db, string ticketId, string kind, string? messageId = null)
    {
        if (!Enabled) return;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        db.Outbox.Add(new OutboxRow { TicketId = ticketId, Kind = kind, MessageId = messageId, CreatedAt = now, NextAttemptAt = now });
    }

    /// <summary>Called after a commit that wrote rows: the sender looks at once instead of at its next poll.</summary>
    public void Wake()
    {
        if (!Enabled) return;
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}

public static class OutboxExtensions
{
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddSingleton<OutboxWriter>();
        return services;
    }
}
