using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportTicket.Server.Events;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.Cluster;

// Carries every committed event to the other nodes over one Redis pub/sub channel; each node routes to its own
// connections with EventRoutes, because SignalR group sends can neither de-duplicate a connection in two groups nor
// keep internal notes from a customer in the owner's group. One channel and one reader keep each node's publish order.
// While Redis is down events wait here (up to MaxPending, oldest dropped first); clients catch up by seq anyway.
internal sealed class RedisEventRelay(
    ClusterRedis redis, HubEventDelivery delivery, IOptions<ClusterOptions> options, Auth.SigningKeys keys, TimeProvider clock,
    ILogger<RedisEventRelay> logger)
    : BackgroundService, ITicketEventSubscriber
{
    public const int MaxPending = 10_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _node = options.Value.Node;
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.ChannelPrefix + ":events");
    private readonly Channel<Envelope> _outgoing = Channel.CreateBounded<Envelope>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    private long _dropped;
    private readonly RelaySigner _signer = new(RelaySigner.Key(options.Value, keys), options.Value.ChannelPrefix + ":events");
    private readonly RelayReplayGuard _replays = new();
    // This process among the senders: a restarted node numbers from 1 again under a new instance.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private long _counter;
    private long _lastRejectionLogMs = long.MinValue, _rejectionsSinceLog;

    public long Published;
    public long Received;

    public long Rejected;

    public bool Subscribed { get; private set; }

    public ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(_node, TicketEventWire.From(ticketEvent));
        if (!_outgoing.Writer.TryWrite(envelope) || _outgoing.Reader.Count >= MaxPending)
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
                logger.LogWarning("Redis has been unreachable for a while: {Max} events wait for other nodes, the oldest are dropped (clients catch up by seq)", MaxPending);
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = await redis.ConnectionAsync.WaitAsync(stoppingToken);
        var subscriber = connection.GetSubscriber();
        _ = SubscribeAsync(subscriber, stoppingToken);
        await foreach (var envelope in _outgoing.Reader.ReadAllAsync(stoppingToken))
        {
            var warned = false;
            // The number is the message's for good: a retry that reaches a node twice is dropped there as a replay.
            var numbered = envelope with { Instance = _instance, Counter = ++_counter };
            while (true)
            {
                try
                {
                    // Stamped and signed at each attempt, so an event that waited for Redis is not refused as stale.
                    var sent = numbered with { SentAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                    await subscriber.PublishAsync(_channel, _signer.Sign(JsonSerializer.SerializeToUtf8Bytes(sent, Json)));
                    Interlocked.Increment(ref Published);
                    break;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    if (!warned) logger.LogWarning("Events wait for Redis to reach other nodes: {Error}", e.Message);
                    warned = true;
                    await Task.Delay(500, stoppingToken);
                }
            }
            if (warned) logger.LogInformation("Redis is back: events reach other nodes again");
        }
    }

    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await subscriber.SubscribeAsync(_channel);
                queue.OnMessage(ReceiveAsync);
                Subscribed = true;
                logger.LogInformation("Node {Node} relays events on Redis channel {Channel}", _node, _channel);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                await Task.Delay(1000, stoppingToken);
            }
        }
    }

    private async Task ReceiveAsync(ChannelMessage message)
    {
        try
        {
            if (_signer.Open((byte[]?)message.Message) is not { } body)
            {
                Reject("bad_signature");
                return;
            }
            var envelope = JsonSerializer.Deserialize<Envelope>(body.Span, Json);
            if (envelope is null || envelope.Instance.Length == 0 || envelope.Event?.ToEvent() is not { } ticketEvent)
            {
                Reject("malformed");
                return;
            }
            if (envelope.Instance == _instance || envelope.Node == _node) return;
            if (_replays.Admit(envelope.Instance, envelope.Counter, envelope.SentAtMs, clock.GetUtcNow().ToUnixTimeMilliseconds()) is { } refused)
            {
                Reject(refused);
                return;
            }
            Interlocked.Increment(ref Received);
            await delivery.HandleAsync(ticketEvent, CancellationToken.None);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            logger.LogWarning(e, "Ignored a malformed event from Redis channel {Channel}", _channel);
            Reject("malformed", log: false);
        }
    }

    private void Reject(string reason, bool log = true)
    {
        Interlocked.Increment(ref Rejected);
        Metrics.ServerMetrics.RelayRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        var since = Interlocked.Increment(ref _rejectionsSinceLog);
        var now = Environment.TickCount64;
        if (!log || now - Interlocked.Read(ref _lastRejectionLogMs) < 10_000) return;
        Interlocked.Exchange(ref _lastRejectionLogMs, now);
        Interlocked.Exchange(ref _rejectionsSinceLog, 0);
        logger.LogWarning("Dropped a relay message on Redis channel {Channel} ({Reason}; {Count} dropped since the last report): " +
            "something publishes to it without the cluster's relay key, or replays old messages", _channel, reason, since);
    }

    private sealed record Envelope(string Node, TicketEventWire Event)
    {
        public string Instance { get; init; } = "";
        public long Counter { get; init; }
        public long SentAtMs { get; init; }
    }
}
