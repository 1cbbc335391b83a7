using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Outbox;

// A consumer that needs its own queue row beside the event (the Discord mirror, for its per-ticket parking and fenced
// claims) registers one of these; OutboxWriter writes those rows only while one is registered.
public sealed record OutboxConsumer(string Name);

// The one writer of a change's outbox, in the caller's transaction: the event row (the stream webhooks, the feed and
// e-mail read with their own cursors) and, while a consumer is registered, the mirror's queue row. The batchers'
// hand-written SQL embeds SqlColumns/SqlValues, so the row is spelled here once.
public sealed class OutboxWriter(EventWriter events, IEnumerable<OutboxConsumer> consumers, TimeProvider clock)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public bool Enabled { get; } = consumers.Any();

    // The event is written now; the queue row by the caller's SaveChanges.
    // kind: the mirror's row when it differs from the event type's usual one (a lifecycle change shown as an update).
    public async Task AppendAsync(AppDbContext db, string type, string ticketId, string data, CancellationToken ct,
        bool mirror = true, string? messageId = null, string? kind = null)
    {
        await events.AppendAsync(db, type, ticketId, data, ct);
        if (mirror && (kind ?? KindOf(type)) is { } rowKind) Add(db, ticketId, rowKind, messageId);
    }

    public void AddCreated(AppDbContext db, Ticket ticket, bool mirror)
    {
        events.AddCreated(db, ticket);
        if (mirror) Add(db, ticket.Id, OutboxKinds.TicketCreated);
    }

    // Null for the types the mirror does not show (later features' events).
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

    internal const string SqlColumns = "ticket_id, kind, message_id, created_at, attempts, next_attempt_at";

    // SQL expressions for the ticket id, the message id and the time in Unix seconds.
    internal static string SqlValues(string ticketId, string kind, string messageId, string nowSeconds) =>
        $"{ticketId}, '{kind}', {messageId}, {nowSeconds} * 1000, 0, {nowSeconds} * 1000";

    private void Add(AppDbContext db, string ticketId, string kind, string? messageId = null)
    {
        if (!Enabled) return;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        db.Outbox.Add(new OutboxRow { TicketId = ticketId, Kind = kind, MessageId = messageId, CreatedAt = now, NextAttemptAt = now });
    }

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
