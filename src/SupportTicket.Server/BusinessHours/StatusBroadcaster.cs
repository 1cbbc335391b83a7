using Microsoft.Extensions.Options;
using SupportTicket.Server.Events;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.BusinessHours;

/// <summary>
/// Sends <c>status</c> to this node's authorized connections each time the team opens or closes. Every node runs its
/// own, for its own clients: the schedule is configuration, so all nodes agree without talking to each other, and no
/// event has to cross the relay.
/// </summary>
internal sealed class StatusBroadcaster(
    BusinessCalendar calendar, TeamStatus status, RealtimeConnections connections, TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<StatusBroadcaster> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!calendar.Configured) return;
        var last = status.Now().Open;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (calendar.NextChange(now) is not { } change) return;
            try
            {
                await Task.Delay(change - now, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var current = status.Now();
            if (current.Open == last) continue;
            last = current.Open;
            var payload = RawJson.Serialize(current, json.Value.SerializerOptions);
            var sent = 0;
            foreach (var connection in connections.All())
                if (connection.Identity is not null)
                {
                    connections.Enqueue(connection, EventNames.Status, payload);
                    sent++;
                }
            logger.LogInformation("Business hours: team {State}; status sent to {Count} connections", current.Open ? "open" : "closed", sent);
        }
    }
}
