using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// Many authorized hub connections: opens them with bounded parallelism, keeps them alive with SignalR pings (the
/// server drops a client it has not heard from within its client timeout, 30 s by default) and closes them all.
/// </summary>
public sealed class ConnectionPool(BenchOptions options, Tokens tokens, HttpMessageInvoker invoker) : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly Lock _lock = new();
    private int _failures;
    private string? _lastFailure;

    public IReadOnlyList<HubConnection> Connections => _connections;
    public int Failures => _failures;
    public string? LastFailure => _lastFailure;
    public int OpenCount => _connections.Count(c => c.IsOpen);

    /// <summary>Connects and authorizes one connection per user; returns how long it took.</summary>
    public async Task<TimeSpan> OpenAsync(IReadOnlyList<(BenchUser User, int Tag)> users, int bufferSize, HubEventHandler? onEvent,
        Func<HubConnection, CancellationToken, Task>? afterAuthorize, CancellationToken ct)
    {
        var hub = Transport.HubUri(options.HubUrl ?? options.Url);
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = ct },
            async (item, token) =>
            {
                HubConnection? connection = null;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    connection = await HubConnection.ConnectAsync(hub, invoker, item.Tag, bufferSize, timeout.Token);
                    connection.OnEvent = onEvent;
                    await connection.AuthorizeAsync(tokens.For(item.User), timeout.Token);
                    if (afterAuthorize is not null) await afterAuthorize(connection, timeout.Token);
                    lock (_lock) _connections.Add(connection);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failures);
                    _lastFailure = e.GetType().Name + ": " + e.Message;
                    if (connection is not null) await connection.DisposeAsync();
                }
            });
        return started.Elapsed;
    }

    /// <summary>Pings every connection every 10 s until cancelled (a bounded loop: it ends with the run's token).</summary>
    public async Task KeepAliveAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
                HubConnection[] snapshot;
                lock (_lock) snapshot = [.. _connections];
                await Parallel.ForEachAsync(snapshot, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (c, token) =>
                {
                    if (!c.IsOpen) return;
                    try { await c.PingAsync(token); }
                    catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or IOException) { }
                });
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        HubConnection[] snapshot;
        lock (_lock)
        {
            snapshot = [.. _connections];
            _connections.Clear();
        }
        await Parallel.ForEachAsync(snapshot, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
    }
}
