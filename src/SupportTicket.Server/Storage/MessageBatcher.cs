using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// Group commit (GroupCommit) for message posts, the hot write: every post in a batch is checked, counted and inserted
// on its own (see MessageSql); its committed step runs in commit order, so a ticket's events leave in seq order.
public abstract class MessageBatcher(int loops, WriteGate gate, ILogger logger) : GroupCommit<PostWrite, Ticket>(loops, gate, logger)
{
    public Task<Ticket?> WriteAsync(PostWrite post, Action<Ticket> committed, CancellationToken ct) =>
        EnqueueAsync(post, post.Message.TicketId, committed, ct);

    protected override string Noun => "post";

    protected override void Record((Ticket? Result, Exception? Error)[] results, long started) => Metrics.ServerMetrics.Committed(results, started);
}

// EventData has the seq still a placeholder (EventFeed.EventWriter.MessageTemplate). Timers: the deadlines this post
// may set (Lifecycle); null for the server's own messages, which move none.
public sealed record PostWrite(Message Message, bool Staff, bool Outbox, string EventId, string EventData, Lifecycle.MessageTimers? Timers = null);
