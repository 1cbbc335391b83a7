using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Cluster;

// The leader holds the leader_lease row, renewed every LeaseCheckSeconds for LeaseTtlSeconds by the database's
// clock; a takeover (only of an expired row) increments its epoch, the outbox's fencing token. The holder steps down
// by its own monotonic clock a second early, so a node paused past its lease (SIGSTOP, frozen VM) knows at once; a
// session-level lock would not do: a paused process's kernel keeps its socket, and so the lock, alive.
internal sealed class PostgresLeaderLease(DatabaseTarget target, IOptions<ClusterOptions> options, ILogger<PostgresLeaderLease> logger)
    : BackgroundService, ILeaderLease
{
    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly string _node = options.Value.Node;
    private readonly TimeSpan _check = TimeSpan.FromSeconds(options.Value.LeaseCheckSeconds);
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.LeaseTtlSeconds);
    private volatile TaskCompletionSource<CancellationToken> _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CancellationTokenSource? _held;
    private long _validUntil; // Stopwatch timestamp
    private long _epoch;

    public bool IsLeader => _held is { IsCancellationRequested: false } && Stopwatch.GetTimestamp() < Interlocked.Read(ref _validUntil);

    public long? FencingToken => _held is null ? null : Interlocked.Read(ref _epoch);

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
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (await TryAcquireAsync(connection, stoppingToken) is { } epoch)
                    {
                        await LeadAsync(connection, epoch, started, stoppingToken);
                        break; // lost: a new connection, then try again
                    }
                    Holder = await HolderAsync(connection, stoppingToken);
                    await Task.Delay(_check, stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.IO.IOException)
            {
                logger.LogWarning("Leader lease: PostgreSQL unreachable ({Error}); retrying", e.Message);
                Holder = null;
                await Task.Delay(_check, stoppingToken);
            }
        }
    }

    private async Task LeadAsync(NpgsqlConnection connection, long epoch, long started, CancellationToken stoppingToken)
    {
        var lease = new CancellationTokenSource();
        Interlocked.Exchange(ref _epoch, epoch);
        Extend(started);
        _held = lease;
        Holder = _node;
        logger.LogInformation("Node {Node} is now the cluster leader (epoch {Epoch})", _node, epoch);
        _acquired.TrySetResult(lease.Token);
        var reason = "stopping";
        try
        {
            while (true)
            {
                // Wake in time to step down by the local clock even if PostgreSQL never answers.
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Interlocked.Read(ref _validUntil));
                await Task.Delay(left < _check ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _check, stoppingToken);
                if (!IsLeader) { reason = "its last renewal is older than the lease"; return; }
                var start = Stopwatch.GetTimestamp();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(Stopwatch.GetElapsedTime(start, Interlocked.Read(ref _validUntil)) is var max && max > TimeSpan.Zero ? max : TimeSpan.FromMilliseconds(1));
                if (!await RenewAsync(connection, epoch, timeout.Token)) { reason = "another node holds the lease now"; return; }
                Extend(start);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            reason = "the renewal did not answer in time";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.IO.IOException)
        {
            reason = $"the renewal failed ({e.Message})";
        }
        finally
        {
            _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = null;
            Holder = null;
            await lease.CancelAsync();
            logger.LogWarning("Node {Node} is no longer the cluster leader (epoch {Epoch}): {Reason}", _node, epoch, reason);
            if (stoppingToken.IsCancellationRequested) await ReleaseAsync(connection, epoch);
        }
    }

    // Valid until a renewal sent at sentAt expires, less a margin (the row expires by the database's clock, later).
    private void Extend(long sentAt) =>
        Interlocked.Exchange(ref _validUntil, sentAt + (long)((_ttl - Margin).TotalSeconds * Stopwatch.Frequency));

    private string ConnectionString() => new NpgsqlConnectionStringBuilder(target.ConnectionString)
    {
        Pooling = false,
        ApplicationName = "supportticket-lease:" + _node,
        KeepAlive = 5,
        Timeout = 5,
        CommandTimeout = 5,
    }.ConnectionString;

    private async Task<long?> TryAcquireAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE leader_lease SET holder = @node, epoch = epoch + 1, expires_at = {NowMs} + @ttl
            WHERE name = @name AND (holder IS NULL OR expires_at < {NowMs}) RETURNING epoch
            """, connection);
        Parameters(command, null);
        return await command.ExecuteScalarAsync(ct) is long epoch ? epoch : null;
    }

    private async Task<bool> RenewAsync(NpgsqlConnection connection, long epoch, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE leader_lease SET expires_at = {NowMs} + @ttl WHERE name = @name AND epoch = @epoch AND holder = @node", connection);
        Parameters(command, epoch);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task ReleaseAsync(NpgsqlConnection connection, long epoch)
    {
        try
        {
            await using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET holder = NULL, expires_at = 0 WHERE name = @name AND epoch = @epoch AND holder = @node", connection);
            Parameters(command, epoch);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await command.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException or System.IO.IOException)
        {
            logger.LogInformation("Leader lease not released ({Error}); it expires by itself", e.Message);
        }
    }

    private static async Task<string?> HolderAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT holder FROM leader_lease WHERE name = @name AND expires_at >= {NowMs}", connection);
        command.Parameters.AddWithValue("name", LeaderLeaseRow.Discord);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private void Parameters(NpgsqlCommand command, long? epoch)
    {
        command.Parameters.AddWithValue("name", LeaderLeaseRow.Discord);
        command.Parameters.AddWithValue("node", _node);
        command.Parameters.AddWithValue("ttl", (long)_ttl.TotalMilliseconds);
        if (epoch is { } e) command.Parameters.AddWithValue("epoch", e);
    }
}
