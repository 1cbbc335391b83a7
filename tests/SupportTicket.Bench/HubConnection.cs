using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Bench;

/// <summary>Called on the receive loop for every server invocation (type 1); must be quick and must not block.</summary>
public delegate void HubEventHandler(HubConnection connection, ReadOnlySpan<byte> target, ReadOnlySpan<byte> record);

/// <summary>
/// The SignalR JSON hub protocol over a raw <see cref="ClientWebSocket"/>, straight to the WebSocket endpoint (no
/// negotiate, no stateful reconnect): handshake, type 1 invocations both ways, type 3 completions, type 6 pings
/// ignored on receipt and sent by <see cref="PingAsync"/> so the server's client timeout never fires, type 7 close.
/// Kept this small so the bench's own cost per connection and per event is known and low. Not the official
/// Microsoft.AspNetCore.SignalR.Client (the tests use that): it builds pipes, channels, timers and a handler table per
/// connection and deserializes every argument, and the load generator shares this 2-core machine with the server.
/// </summary>
public sealed class HubConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Ping = """{"type":6}"""u8.ToArray().Append(RecordSeparator).ToArray();

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string?>? _authorized;
    private TaskCompletionSource<string?>? _completion;
    private byte[] _buffer;
    private int _nextId;

    private HubConnection(ClientWebSocket socket, int bufferSize, int tag)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
        Tag = tag;
    }

    /// <summary>The caller's index for this connection (which ticket, which role).</summary>
    public int Tag { get; }
    public HubEventHandler? OnEvent { get; set; }
    public bool IsOpen => _socket.State == WebSocketState.Open && !Closed.IsCompleted;
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task<string> Closed => _closed.Task;

    public static async Task<HubConnection> ConnectAsync(Uri hubUri, HttpMessageInvoker invoker, int tag, int bufferSize, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // SignalR pings (type 6) keep both sides alive instead
        await socket.ConnectAsync(hubUri, invoker, ct);
        var connection = new HubConnection(socket, bufferSize, tag);
        _ = connection.ReceiveLoopAsync();
        await connection.SendAsync("""{"protocol":"json","version":1}"""u8.ToArray().Append(RecordSeparator).ToArray(), ct);
        await connection._handshake.Task.WaitAsync(ct);
        return connection;
    }

    /// <summary>The seed's handshake: invoke <c>authorize({token})</c>, then wait for <c>authorized</c> (or <c>error</c>).</summary>
    public async Task AuthorizeAsync(string token, CancellationToken ct)
    {
        _authorized = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await InvokeAsync("authorize", JsonSerializer.Serialize(new { token }), expectCompletion: false, ct);
        if (await _authorized.Task.WaitAsync(ct) is { } error) throw new InvalidOperationException("authorize refused: " + error);
    }

    public async Task SubscribeAsync(string ticketId, CancellationToken ct)
    {
        if (await InvokeAsync("subscribe", JsonSerializer.Serialize(ticketId), expectCompletion: true, ct) is { } error)
            throw new InvalidOperationException("subscribe failed: " + error);
    }

    public Task PingAsync(CancellationToken ct) => SendAsync(Ping, ct);

    private async Task<string?> InvokeAsync(string method, string argument, bool expectCompletion, CancellationToken ct)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (expectCompletion) _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var json = $$"""{"type":1,"invocationId":"{{id}}","target":"{{method}}","arguments":[{{argument}}]}""";
        await SendAsync([.. Encoding.UTF8.GetBytes(json), RecordSeparator], ct);
        return expectCompletion ? await _completion!.Task.WaitAsync(ct) : null;
    }

    private async Task SendAsync(byte[] frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var filled = 0;
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                if (filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var result = await _socket.ReceiveAsync(_buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                filled += result.Count;
                if (!result.EndOfMessage) continue;
                Dispatch(_buffer.AsSpan(0, filled));
                filled = 0;
            }
            _closed.TrySetResult($"closed by server: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _closed.TrySetResult("transport error: " + e.Message);
        }
        _handshake.TrySetException(new InvalidOperationException("connection closed during handshake"));
        _authorized?.TrySetResult("connection closed");
        _completion?.TrySetResult("connection closed");
    }

    /// <summary>A WebSocket message holds one or more records, each ending with 0x1e.</summary>
    private void Dispatch(ReadOnlySpan<byte> data)
    {
        while (data.IndexOf(RecordSeparator) is var end and >= 0)
        {
            var record = data[..end];
            data = data[(end + 1)..];
            if (!_handshake.Task.IsCompleted)
            {
                if (record.IndexOf("\"error\""u8) >= 0) _handshake.TrySetException(new InvalidOperationException(Encoding.UTF8.GetString(record)));
                else _handshake.TrySetResult();
                continue;
            }
            Handle(record);
        }
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        int type = 0;
        ReadOnlySpan<byte> target = default;
        string? error = null;
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetInt32(); }
            else if (reader.ValueTextEquals("target"u8)) { reader.Read(); target = reader.ValueSpan; }
            else if (reader.ValueTextEquals("error"u8)) { reader.Read(); error = reader.GetString(); }
            else { reader.Read(); reader.Skip(); }
        }
        switch (type)
        {
            case 1 when target.SequenceEqual("authorized"u8):
                _authorized?.TrySetResult(null);
                break;
            case 1 when target.SequenceEqual("error"u8):
                // Hub errors arrive as an `error` event: surface them to whoever is waiting, and to the handler.
                var text = Encoding.UTF8.GetString(record);
                if (_authorized is { Task.IsCompleted: false }) _authorized.TrySetResult(text);
                else _completion?.TrySetResult(text);
                OnEvent?.Invoke(this, target, record);
                break;
            case 1:
                OnEvent?.Invoke(this, target, record);
                break;
            case 3:
                _completion?.TrySetResult(error);
                break;
            case 7:
                _closed.TrySetResult("close message: " + (error ?? "no error"));
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { }
        _socket.Dispose();
    }
}
