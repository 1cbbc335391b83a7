using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Events;

namespace SupportTicket.Server.Realtime;

/// <summary>
/// Pushes every bus event to this node's connections that may see it. The payload is serialized once per event,
/// with the REST serializer options so it is byte-for-byte the REST shape. All writes of one event finish before
/// the bus hands over the next, so each connection sees a ticket's events in publish (commit) order.
/// </summary>
internal sealed class HubEventDelivery(
    IHubContext<TicketHub> hub, RealtimeConnections connections, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider clock) : ITicketEventSubscriber
{
    public async ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        RawJson? payload = null;
        List<Task>? sends = null;
        foreach (var connection in connections.Members(EventRoutes.Groups(ticketEvent)))
        {
            if (connection.Identity is not { } identity || identity.ExpiresAt <= now || !EventRoutes.Admits(ticketEvent, identity.User))
                continue;
            payload ??= RawJson.Serialize(ticketEvent.Payload, json.Value.SerializerOptions);
            (sends ??= []).Add(hub.Clients.Client(connection.Id).SendAsync(ticketEvent.Name, payload, cancellationToken));
        }
        // Awaiting keeps per-connection order. The price: a client whose transport buffer is full delays this node's
        // delivery until SignalR's flush completes; a per-connection queue would isolate it (not needed yet).
        if (sends is not null) await Task.WhenAll(sends);
    }
}
