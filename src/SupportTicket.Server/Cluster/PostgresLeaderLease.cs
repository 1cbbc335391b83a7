using Microsoft.Extensions.Options;
using Npgsql;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Cluster;

/// <summary>
/// The cluster's one leader: whoever holds a PostgreSQL session-level advisory lock on a dedicated connection (not
/// pooled, so the lock lives exactly as long as that session). A holder that dies loses its session at once (the
/// kernel resets its socket); a partitioned holder's session is ended by the server's TCP keepalives (set per session
/// to ~11 s), and the holder itself steps down when its own check of the connection fails (every LeaseCheckSeconds,
/// 5 s timeout), so it stops before another node can take over. Takeover therefore comes within ~15 s.
/// </summary>
internal sealed class PostgresLeaderLease(DatabaseTarget target, IOptions<ClusterOptions> options, ILogger<PostgresLeaderLease> logger)
    : BackgroundService, ILeaderLease
{
    /// <summary>"STLEADER" as a 64-bit key; pg_locks shows it as classid 0x53544C45, objid 0x41444552.</summary>
    private const long LockKey = 0x53544C45_41444552;
    private const string ApplicationPrefix = "supportticket-lease:";
    private readonly string _node = options.Value.Node;
    private readonly TimeSpan _check = TimeSpan.FromSeconds(options.Value.LeaseCheckSeconds);
    private volatile TaskCompletionSource<CancellationToken> _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CancellationTokenSource? _held;

    public bool IsLeader => _held is { IsCancellationRequested: false };

    /// <summary>The node that held the lease when last seen (this node's own name while it leads); null when unknown.</summary>
    public string? Holder { get; private set; }

    public async Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct)
    {
        while (true)
        {
            var token = await _acquired.Task.WaitAsync(ct);
            if (!token.IsCancellationRequested) return token;
            await Task.Delay(100, ct); // a lease lost just now: wait for the next one
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync(stoppingToken);
                await ExecuteAsync(connection, "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3", stoppingToken);
                while (!await TryLockAsync(connection, stoppingToken))
                {
                    Holder = await HolderAsync(connection, stoppingToken);
                    await Task.Delay(_check, stoppingToken);
                }
                await LeadAsync(connection, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.IO.IOException)
            {
                logger.LogWarning("Leader lease: PostgreSQL unreachable ({Error}); retrying", e.Message);
                Holder = null;
                await Task.Delay(_check, stoppingToken);
            }
        }
    }

    /// <summary>Holds the lease until the connection fails or the node stops; closing the session releases the lock.</summary>
    private async Task LeadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        var lease = new CancellationTokenSource();
        _held = lease;
        Holder = _node;
        logger.LogInformation("Node {Node} is now the cluster leader", _node);
        _acquired.TrySetResult(lease.Token);
        try
        {
            while (true)
            {
                await Task.Delay(_check, stoppingToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await ExecuteAsync(connection, "SELECT 1", timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException("the lease connection did not answer within 5 s");
        }
        finally
        {
            _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = null;
            Holder = null;
            await lease.CancelAsync();
            logger.LogWarning("Node {Node} is no longer the cluster leader", _node);
        }
    }

    private string ConnectionString() => new NpgsqlConnectionStringBuilder(target.ConnectionString)
    {
        Pooling = false,
        ApplicationName = ApplicationPrefix + _node,
        KeepAlive = 5,
        Timeout = 5,
        CommandTimeout = 5,
    }.ConnectionString;

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string?> HolderAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = @hi AND l.objid::bigint = @lo AND l.objsubid = 1
            """, connection);
        command.Parameters.AddWithValue("hi", (long)(uint)(LockKey >> 32));
        command.Parameters.AddWithValue("lo", (long)(uint)(LockKey & 0xFFFFFFFF));
        return await command.ExecuteScalarAsync(ct) is string name && name.StartsWith(ApplicationPrefix, StringComparison.Ordinal)
            ? name[ApplicationPrefix.Length..]
            : null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
