using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>A server-to-client invocation: the event name and its first argument.</summary>
public sealed record HubEvent(string Name, JsonElement Payload)
{
    /// <summary>The ticket the event is about: <c>ticket_id</c> of messages and typing, <c>id</c> of tickets.</summary>
    public string? TicketId => Payload.ValueKind != JsonValueKind.Object ? null
        : Payload.TryGetProperty("ticket_id", out var t) ? t.GetString()
        : Payload.TryGetProperty("id", out var id) ? id.GetString() : null;

    public long Seq => Payload.GetProperty("seq").GetInt64();

    public override string ToString() => $"{Name} {Payload.GetRawText()}";
}

/// <summary>
/// The smallest SignalR client that does the job: the JSON hub protocol over the test server's WebSocket
/// (handshake, invocations type 1, completions type 3, pings type 6 skipped, close type 7). Received events queue up
/// and are taken in arrival order by <see cref="NextEventAsync"/>.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public const string Path = "/hubs/tickets";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private const byte RecordSeparator = 0x1e;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _lock = new();
    private readonly List<HubEvent> _pending = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _calls = [];
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private HubClient(WebSocket socket) => _socket = socket;

    /// <summary>Completes when the server closes the connection; the value is the close message's error, if any.</summary>
    public Task<string?> Closed => _closed.Task;

    public static async Task<HubClient> ConnectAsync(TestApp app, string? accessToken = null)
    {
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(HubUri("ws://localhost", accessToken), CancellationToken.None);
        return await HandshakeAsync(socket);
    }

    /// <summary>Over a real socket, to a server started with <see cref="TestApp.StartOnLoopback"/>.</summary>
    public static async Task<HubClient> ConnectAsync(Uri server, string? accessToken = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(HubUri($"ws://{server.Authority}", accessToken), CancellationToken.None);
        return await HandshakeAsync(socket);
    }

    private static Uri HubUri(string origin, string? accessToken) =>
        new(origin + Path + (accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken)));

    private static async Task<HubClient> HandshakeAsync(WebSocket socket)
    {
        var client = new HubClient(socket);
        _ = client.ReceiveLoopAsync();
        await client.SendAsync("""{"protocol":"json","version":1}""");
        await client._handshake.Task.WaitAsync(DefaultTimeout);
        return client;
    }

    /// <summary>Connects and authorizes as <paramref name="user"/>, consuming the <c>authorized</c> event.</summary>
    public static async Task<HubClient> AuthorizedAsync(TestApp app, TestUser user)
    {
        var client = await ConnectAsync(app);
        await client.InvokeAsync("authorize", new { token = Tokens.For(user) });
        await client.NextEventAsync("authorized");
        return client;
    }

    /// <summary>Invokes a hub method and waits for its completion; throws when the server reports an error.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var call = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _calls[id] = call;
        // The envelope is camelCase by protocol; the arguments are snake_case like every payload.
        var arguments = JsonSerializer.Serialize(args, Http.Json);
        await SendAsync($$"""{"type":1,"invocationId":"{{id}}","target":{{JsonSerializer.Serialize(method)}},"arguments":{{arguments}}}""");
        return await call.Task.WaitAsync(DefaultTimeout);
    }

    /// <summary>
    /// Returns once the server has finished connecting this client (its OnConnected runs after the handshake): an
    /// invocation is only dispatched after it. The unknown method costs no rate limit.
    /// </summary>
    public async Task ReadyAsync()
    {
        try { await InvokeAsync("__ready"); }
        catch (InvalidOperationException) { } // "unknown method", or closed by the server: either way it is past connecting
    }

    /// <summary>Takes the oldest not-yet-taken event with this name (any name when null), waiting for it if needed.</summary>
    public Task<HubEvent> NextEventAsync(string? name = null, TimeSpan? timeout = null) =>
        TakeAsync(e => name is null || e.Name == name, name ?? "any", timeout);

    /// <summary>Takes the oldest not-yet-taken event about this ticket (any name when null).</summary>
    public Task<HubEvent> NextEventForAsync(string ticketId, string? name = null, TimeSpan? timeout = null) =>
        TakeAsync(e => (name is null || e.Name == name) && e.TicketId == ticketId, $"{name ?? "any"} for {ticketId}", timeout);

    private async Task<HubEvent> TakeAsync(Func<HubEvent, bool> match, string name, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                var index = _pending.FindIndex(e => match(e));
                if (index >= 0)
                {
                    var found = _pending[index];
                    _pending.RemoveAt(index);
                    return found;
                }
                arrived = _arrived.Task;
            }
            try
            {
                await Task.WhenAny(arrived, Closed).WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No '{name}' event within {timeout ?? DefaultTimeout}; pending: [{string.Join(", ", Pending())}]");
            }
            if (Closed.IsCompleted && !arrived.IsCompleted)
                throw new InvalidOperationException($"Connection closed while waiting for '{name}'");
        }
    }

    /// <summary>Waits <paramref name="within"/> and fails if an event with this name arrived. Use after a barrier event.</summary>
    public async Task AssertNoEventAsync(string name, TimeSpan within)
    {
        await Task.Delay(within);
        var unexpected = Pending().Where(e => e.Name == name).ToList();
        Assert.True(unexpected.Count == 0, $"Unexpected '{name}': {string.Join(", ", unexpected)}");
    }

    public IReadOnlyList<HubEvent> Pending()
    {
        lock (_lock) return [.. _pending];
    }

    private async Task SendAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + (char)RecordSeparator);
        await _sendLock.WaitAsync();
        try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var data = new MemoryStream();
        string? closeError = null;
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                data.Write(buffer, 0, result.Count);
                var bytes = data.ToArray();
                var start = 0;
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] != RecordSeparator) continue;
                    if (Handle(bytes.AsSpan(start, i - start)) is { } error) closeError = error;
                    start = i + 1;
                }
                data = new MemoryStream();
                data.Write(bytes, start, bytes.Length - start);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            _handshake.TrySetException(new InvalidOperationException("Closed before the handshake completed"));
            _closed.TrySetResult(closeError);
            lock (_lock)
                foreach (var call in _calls.Values) call.TrySetException(new InvalidOperationException("Connection closed"));
        }
    }

    /// <summary>Handles one protocol message; returns the error text of a close message.</summary>
    private string? Handle(ReadOnlySpan<byte> json)
    {
        var message = JsonDocument.Parse(json.ToArray()).RootElement.Clone();
        if (!_handshake.Task.IsCompleted)
        {
            if (message.TryGetProperty("error", out var handshakeError)) _handshake.TrySetException(new InvalidOperationException(handshakeError.GetString()));
            else _handshake.TrySetResult();
            return null;
        }
        switch (message.GetProperty("type").GetInt32())
        {
            case 1:
                var args = message.GetProperty("arguments");
                var evt = new HubEvent(message.GetProperty("target").GetString()!, args.GetArrayLength() > 0 ? args[0] : default);
                lock (_lock)
                {
                    _pending.Add(evt);
                    _arrived.TrySetResult();
                    _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                return null;
            case 3:
                TaskCompletionSource<JsonElement>? call;
                lock (_lock) _calls.Remove(message.GetProperty("invocationId").GetString()!, out call);
                if (message.TryGetProperty("error", out var error)) call?.TrySetException(new InvalidOperationException(error.GetString()));
                else call?.TrySetResult(message.TryGetProperty("result", out var result) ? result : default);
                return null;
            case 7:
                return message.TryGetProperty("error", out var closeError) ? closeError.GetString() : null;
            default:
                return null; // 6 = ping
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException) { }
        _socket.Dispose();
    }
}
