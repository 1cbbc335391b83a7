using Microsoft.Extensions.Options;
using SupportTicket.Server.Events;

namespace SupportTicket.Server.Realtime;

// The payload is serialized at most twice per event, once per numbering (staff: full seq, customers: their own),
// with the REST options. Per-connection FIFO queues plus the bus's publish order keep a ticket's events in commit order.
internal sealed class HubEventDelivery(
    RealtimeConnections connections, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock)
    : ITicketEventSubscriber
{
    public ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        RawJson? full = null, customers = null;
        var delivered = 0;
        foreach (var connection in connections.Members(EventRoutes.Groups(ticketEvent)))
        {
            if (connection.Identity is not { } identity || identity.ExpiresAt <= now || !EventRoutes.Admits(ticketEvent, identity.User))
                continue;
            var payload = Messages.MessageRules.SeesAllNotes(identity.User)
                ? full ??= RawJson.Serialize(ticketEvent.PayloadFor(identity.User), json.Value.SerializerOptions)
                : customers ??= RawJson.Serialize(ticketEvent.PayloadFor(identity.User), json.Value.SerializerOptions);
            connections.Enqueue(connection, ticketEvent.Name, payload);
            delivered++;
        }
        if (delivered > 0) Metrics.ServerMetrics.EventsDelivered.Add(delivered, new KeyValuePair<string, object?>("event", ticketEvent.Name));
        return ValueTask.CompletedTask;
    }
}
