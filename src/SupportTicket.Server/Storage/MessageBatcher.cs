using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

/// <summary>
/// Group commit (<see cref="GroupCommit{TWrite,TResult}"/>) for message posts, the hot write: every post in a batch
/// is checked, counted and inserted on its own (see <see cref="MessageSql"/>); its <c>committed</c> step runs in
/// commit order, so a ticket's events leave in seq order.
/// </summary>
public abstract class MessageBatcher(int loops, WriteGate gate, ILogger logger) : GroupCommit<PostWrite, Ticket>(loops, gate, logger)
{
    /// <summary>Null when the post was refused: no such ticket for this caller, or it is closed.</summary>
    public Task<Ticket?> WriteAsync(Message message, bool staff, Action<Ticket> committed, CancellationToken ct) =>
        WriteAsync(message, staff, outbox: false, committed, ct);

    /// <param name="outbox">Also write the post's Discord outbox row, in the same transaction.</param>
    public Task<Ticket?> WriteAsync(Message message, bool staff, bool outbox, Action<Ticket> committed, CancellationToken ct) =>
        EnqueueAsync(new PostWrite(message, staff, outbox), message.TicketId, committed, ct);

    protected override string Noun => "post";

    protected override void Record((Ticket? Result, Exception? Error)[] results, long started) => Metrics.ServerMetrics.Committed(results, started);
}

/// <summary>One post as the batcher writes it.</summary>
/// <param name="Outbox">Also write the post's Discord outbox row.</param>
public sealed record PostWrite(Message Message, bool Staff, bool Outbox);
