using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// Group commit (GroupCommit) for ticket creates, on both stores: every create in a batch is counted against the cap,
// numbered and inserted with its event (and outbox row) on its own, in order, so creates of one customer in one batch
// count each other. The caller's committed step runs after the COMMIT, for created tickets only.
public abstract class TicketBatcher(WriteGate gate, ILogger logger) : GroupCommit<TicketWrite, CreateOutcome>(loops: 1, gate, logger), ITicketCreator
{
    public async Task<CreateOutcome> CreateAsync(TicketWrite create, Action<Ticket> committed, CancellationToken ct) =>
        await EnqueueAsync(create, ticketId: null, outcome =>
        {
            if (outcome.Ticket is { } created) committed(created);
        }, ct) ?? throw new InvalidOperationException("The create returned no outcome");

    protected override string Noun => "ticket create";

    protected override void Record((CreateOutcome? Result, Exception? Error)[] results, long started) =>
        Metrics.ServerMetrics.TicketsCommitted(results.Count(r => r.Result?.Ticket is not null), started);
}
