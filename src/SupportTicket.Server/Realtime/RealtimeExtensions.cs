using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.Events;

namespace SupportTicket.Server.Realtime;

internal static class RealtimeExtensions
{
    public const string HubPath = "/hubs/tickets";

    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSignalR()
            .AddJsonProtocol(o =>
            {
                // Same naming as REST, so a widget parses one shape whichever way an object reached it.
                o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                o.PayloadSerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            });
        services.AddOptions<HubOptions>().Configure<IOptions<RealtimeOptions>>((hub, realtime) =>
            hub.StatefulReconnectBufferSize = realtime.Value.StatefulReconnectBufferBytes);
        services.AddSingleton<RealtimeConnections>();
        services.AddSingleton<TypingThrottle>();
        services.AddSingleton<HubEventDelivery>(); // the cluster relay hands it events from other nodes too
        services.AddSingleton<ITicketEventSubscriber>(sp => sp.GetRequiredService<HubEventDelivery>());
        services.AddHostedService<RevokedConnectionCloser>();
        return services;
    }

    // Anonymous connects are allowed on purpose: the seed authorizes after connecting, inside the hub.
    public static WebApplication MapRealtime(this WebApplication app)
    {
        app.MapHub<TicketHub>(HubPath, o => o.AllowStatefulReconnects = true).AllowAnonymous();
        return app;
    }
}

internal sealed class RevokedConnectionCloser(RevocationCache revocations, RealtimeConnections connections) : IHostedService
{
    private void OnChanged() => connections.CloseRevoked(revocations);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        revocations.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        revocations.Changed -= OnChanged;
        return Task.CompletedTask;
    }
}
