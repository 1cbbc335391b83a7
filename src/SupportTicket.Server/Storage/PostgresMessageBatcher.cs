using Npgsql;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// PostgreSQL's side of MessageBatcher. One loop measured best: 1, 2, 4 and 8 loops gave about 4,000-4,500,
// 3,000-4,400, 2,800-3,200 and 2,800 posts/s (bigger batches, fewer commits).
public sealed class PostgresMessageBatcher(DatabaseTarget target, MessageSql sql, WriteGate gate, ILogger<PostgresMessageBatcher> logger)
    : MessageBatcher(loops: 1, gate, logger)
{
    private readonly PostgresBatch<PostWrite, Ticket> _batch = new(target,
        post => post.Outbox ? sql.PostgresWithOutbox : sql.Postgres,
        (post, parameters) =>
        {
            foreach (var (name, value) in MessageSql.Parameters(post.Message, post.Staff, post.Timers).Concat(MessageSql.EventParameters(post)))
                parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        },
        (_, reader) => sql.ReadTicket(reader));

    protected override Task<(Ticket? Result, Exception? Error)[]> WriteBatchAsync(int loop, List<Pending> batch, CancellationToken ct) =>
        _batch.WriteAsync(batch.ConvertAll(p => p.Write), Logger, ct);

    protected override void Reset(int loop) => _batch.Reset();
}
