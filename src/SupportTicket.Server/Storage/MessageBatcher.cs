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
    public Task<Ticket?> WriteAsync(PostWrite post, Action<Ticket> committed, CancellationToken ct) =>
        EnqueueAsync(post, post.Message.TicketId, committed, ct);

    protected override string Noun => "post";

    protected override void Record((Ticket? Result, Exception? Error)[] results, long started) => Metrics.ServerMetrics.Committed(results, started);
}

/// <summary>One post as the batcher writes it.</summary>
/// <param name="Outbox">Also write the post's Discord outbox row.</param>
/// <param name="EventId">The post's message.created event id (EventFeed).</param>
/// <param name="EventData">Its data, with the seq still a placeholder (<see cref="EventFeed.EventWriter.MessageTemplate"/>).</param>
/// <param name="Timers">The deadlines this post may set (Lifecycle); null for the server's own messages, which move none.</param>
public sealed record PostWrite(Message Message, bool Staff, bool Outbox, string EventId, string EventData, Lifecycle.MessageTimers? Timers = null);
