using System.Threading.Channels;

namespace SupportTicket.Server.Events;

// The embedded bus for one node: an unbounded queue drained by one reader, so delivery keeps publish order and a slow
// subscriber never holds up a request.
internal sealed class InProcessEventBus(IEnumerable<ITicketEventSubscriber> subscribers, ILogger<InProcessEventBus> logger)
    : BackgroundService, ITicketEventBus
{
    private readonly Channel<(TicketEvent Event, long PublishedAt)> _queue = Channel.CreateUnbounded<(TicketEvent, long)>(new() { SingleReader = true });
    private readonly ITicketEventSubscriber[] _subscribers = subscribers.ToArray();

    public void Publish(TicketEvent ticketEvent) => _queue.Writer.TryWrite((ticketEvent, System.Diagnostics.Stopwatch.GetTimestamp()));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (e, publishedAt) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            foreach (var subscriber in _subscribers)
            {
                try
                {
                    await subscriber.HandleAsync(e, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Subscriber {Subscriber} failed on {Event} for ticket {TicketId}",
                        subscriber.GetType().Name, e.Name, e.Ticket.Id);
                }
            }
            Metrics.ServerMetrics.EventDeliveryLatency.Record(Metrics.ServerMetrics.Since(publishedAt));
        }
    }
}

internal static class EventsExtensions
{
    public static IServiceCollection AddTicketEvents(this IServiceCollection services)
    {
        services.AddSingleton<InProcessEventBus>();
        services.AddSingleton<ITicketEventBus>(sp => sp.GetRequiredService<InProcessEventBus>());
        services.AddHostedService(sp => sp.GetRequiredService<InProcessEventBus>());
        return services;
    }
}
