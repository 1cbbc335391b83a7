using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Outbox;

// Adds outbox rows to the caller's unit of work, so they commit (or not) with the change itself. Rows are written only
// while the Discord bot is enabled: without a consumer they would only grow, and a server without Discord should pay
// nothing for it (one insert more per write otherwise).
public sealed class OutboxWriter(bool enabled, TimeProvider clock)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public bool Enabled { get; } = enabled;

    public void Add(AppDbContext db, string ticketId, string kind, string? messageId = null)
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
