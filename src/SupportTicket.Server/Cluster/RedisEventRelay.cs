using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Realtime;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Cluster;

/// <summary>
/// Carries every event committed on this node to the other nodes over one Redis pub/sub channel, and hands events
/// from other nodes to this node's <see cref="HubEventDelivery"/>. Each node routes to its own connections with
/// <see cref="EventRoutes"/> (DESIGN.md: "each node delivers to its own connections"): SignalR's group sends, which
/// the backplane carries, can neither de-duplicate a connection that is in two target groups nor keep internal notes
/// from a customer in the owner's group, so events cross nodes whole and are filtered where the connection lives.
/// One channel and one sequential reader keep each node's publish order. While Redis is down, events wait here
/// (up to <see cref="MaxPending"/>, oldest dropped first) and are sent when it is back; clients catch up by seq anyway.
/// </summary>
internal sealed class RedisEventRelay(
    ClusterRedis redis, HubEventDelivery delivery, IOptions<ClusterOptions> options, ILogger<RedisEventRelay> logger)
    : BackgroundService, ITicketEventSubscriber
{
    public const int MaxPending = 10_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _node = options.Value.Node;
    private readonly RedisChannel _channel = RedisChannel.Literal(options.Value.ChannelPrefix + ":events");
    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    private long _dropped;

    /// <summary>Events relayed to other nodes and received from them, for the tests and /health/ready.</summary>
    public long Published;
    public long Received;

    /// <summary>False until this node listens to the other nodes; /health/ready stays not-ready until then.</summary>
    public bool Subscribed { get; private set; }

    public ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(_node, ticketEvent.Name, ticketEvent.Ticket, ticketEvent.Message, ticketEvent.Typing,
            ticketEvent.Ticket.LastPublicSeq, ticketEvent.Ticket.PublicUpdatedAt, ticketEvent.Message?.PublicSeq ?? 0);
        if (!_outgoing.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(envelope, Json)) || _outgoing.Reader.Count >= MaxPending)
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
                logger.LogWarning("Redis has been unreachable for a while: {Max} events wait for other nodes, the oldest are dropped (clients catch up by seq)", MaxPending);
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = await redis.ConnectionAsync.WaitAsync(stoppingToken);
        var subscriber = connection.GetSubscriber();
        _ = SubscribeAsync(subscriber, stoppingToken);
        await foreach (var message in _outgoing.Reader.ReadAllAsync(stoppingToken))
        {
            var warned = false;
            while (true)
            {
                try
                {
                    await subscriber.PublishAsync(_channel, message);
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

    /// <summary>Retries until the first subscribe succeeds; StackExchange.Redis re-subscribes by itself after that.</summary>
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
            var envelope = JsonSerializer.Deserialize<Envelope>((byte[])message.Message!, Json);
            if (envelope is null || envelope.Node == _node) return;
            Interlocked.Increment(ref Received);
            var ticket = envelope.Ticket with { LastPublicSeq = envelope.LastPublicSeq, PublicUpdatedAt = envelope.PublicUpdatedAt };
            var posted = envelope.Message is null ? null : envelope.Message with { PublicSeq = envelope.PublicSeq };
            await delivery.HandleAsync(new TicketEvent(envelope.Name, ticket, posted, envelope.Typing), CancellationToken.None);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            logger.LogWarning(e, "Ignored a malformed event from Redis channel {Channel}", _channel);
        }
    }

    /// <summary>The customers' numbers and updated_at travel beside the DTOs, which never serialize them (they are not part of the API).</summary>
    private sealed record Envelope(
        string Node, string Name, TicketDto Ticket, MessageDto? Message, TypingDto? Typing, long LastPublicSeq, long PublicUpdatedAt, long PublicSeq);
}
