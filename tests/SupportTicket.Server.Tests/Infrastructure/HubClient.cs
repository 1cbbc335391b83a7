using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Events;

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
/// The official .NET SignalR client (<see cref="HubConnection"/>) with what the tests need on top: every event the
/// server sends is queued in arrival order and taken by <see cref="NextEventAsync"/>, so a test can wait for "the
/// next message event for this ticket" and assert nothing else came. The protocol itself is the client's.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public const string Path = "/hubs/tickets";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly string[] EventNamesSent =
    [
        EventNames.Message, EventNames.EditMessage, EventNames.DeleteMessage, EventNames.TicketCreated, EventNames.TicketUpdated,
        EventNames.TicketClosed, EventNames.Typing, EventNames.Read, EventNames.Authorized, EventNames.Error, EventNames.Status,
    ];

    private readonly Lock _lock = new();
    private readonly List<HubEvent> _pending = [];
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in EventNamesSent)
            connection.On(name, [typeof(JsonElement)], (args, _) =>
            {
                Arrived(new HubEvent(name, (JsonElement)args[0]!));
                return Task.CompletedTask;
            }, this);
        connection.Closed += e =>
        {
            _closed.TrySetResult(e?.Message);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the connection is closed; the value is the reason, if any.</summary>
    public Task<string?> Closed => _closed.Task;

    /// <summary>The test server's in-memory WebSocket, as the widget connects (WebSockets, no negotiate).</summary>
    public static Task<HubClient> ConnectAsync(TestApp app, string? accessToken = null) =>
        ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, Path + (accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken))), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) => await app.Server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            }));

    /// <summary>Over a real socket, to a server started with <see cref="TestApp.StartOnLoopback"/>, as the widget connects.</summary>
    public static Task<HubClient> ConnectAsync(Uri server, string? accessToken = null) =>
        ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(server, Path + (accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken))), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }));

    /// <summary>Builds and starts a connection from a builder the caller configured (real sockets, stateful reconnect).</summary>
    public static async Task<HubClient> ConnectAsync(IHubConnectionBuilder builder)
    {
        // Arguments are snake_case like every payload the server reads.
        var client = new HubClient(builder.AddJsonProtocol(o => o.PayloadSerializerOptions = Http.Json).Build());
        await client.Connection.StartAsync().WaitAsync(DefaultTimeout);
        // A server that closes during the handshake (a connection over the cap) ends the start without a Closed event.
        if (client.Connection.State == HubConnectionState.Disconnected) client._closed.TrySetResult(null);
        return client;
    }

    /// <summary>Connects and authorizes as <paramref name="user"/>, consuming the <c>authorized</c> event.</summary>
    public static async Task<HubClient> AuthorizedAsync(TestApp app, TestUser user)
    {
        var client = await ConnectAsync(app);
        await client.AuthorizeAsync(user);
        return client;
    }

    public async Task AuthorizeAsync(TestUser user)
    {
        await InvokeAsync("authorize", new { token = Tokens.For(user) });
        await NextEventAsync(EventNames.Authorized);
    }

    /// <summary>Invokes a hub method and waits for its completion; throws when the server reports an error.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] args) =>
        await Connection.InvokeCoreAsync(method, typeof(JsonElement?), args).WaitAsync(DefaultTimeout) is JsonElement result ? result : default;

    /// <summary>
    /// Returns once the server has finished connecting this client (its OnConnected runs after the handshake): an
    /// invocation is only dispatched after it. The unknown method costs no rate limit.
    /// </summary>
    public async Task ReadyAsync()
    {
        try { await InvokeAsync("__ready"); }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or TaskCanceledException) { } // unknown method, or closed: past connecting
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

    private void Arrived(HubEvent hubEvent)
    {
        lock (_lock)
        {
            _pending.Add(hubEvent);
            _arrived.TrySetResult();
            _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
