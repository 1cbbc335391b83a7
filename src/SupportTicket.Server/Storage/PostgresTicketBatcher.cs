namespace SupportTicket.Server.Storage;

// PostgreSQL's side of TicketBatcher: one statement per create (TicketSql). One create per transaction (four round
// trips and a commit each) measured ~700 creates/s with a p99 of ~260 ms here.
public sealed class PostgresTicketBatcher(DatabaseTarget target, TicketSql sql, WriteGate gate, ILogger<PostgresTicketBatcher> logger)
    : TicketBatcher(gate, logger)
{
    private readonly PostgresBatch<TicketWrite, CreateOutcome> _batch = new(target,
        create => create.Outbox ? sql.PostgresWithOutbox : sql.Postgres,
        (create, parameters) => sql.Bind(parameters, create),
        TicketSql.Read);

    protected override Task<(CreateOutcome? Result, Exception? Error)[]> WriteBatchAsync(int loop, List<Pending> batch, CancellationToken ct) =>
        _batch.WriteAsync(batch.ConvertAll(p => p.Write), Logger, ct);

    protected override void Reset(int loop) => _batch.Reset();
}
