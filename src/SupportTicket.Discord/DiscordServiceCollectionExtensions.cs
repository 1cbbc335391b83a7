using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord;

public static class DiscordServiceCollectionExtensions
{
    public static IServiceCollection AddDiscordClient(this IServiceCollection services, Action<DiscordClientOptions>? configure = null)
    {
        var options = services.AddOptions<DiscordClientOptions>().BindConfiguration(DiscordClientOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.Token), "Discord:Token is required.")
            .Validate(o => Uri.IsWellFormedUriString(o.ApiBaseUrl, UriKind.Absolute), "Discord:ApiBaseUrl must be an absolute URL.")
            .Validate(o => o.UserAgent.StartsWith("DiscordBot (", StringComparison.Ordinal), "Discord:UserAgent must start with 'DiscordBot ('.")
            .Validate(o => o.InvalidRequestSlowdownStart >= 0 && o.InvalidRequestSlowdownStart < o.InvalidRequestStop && o.InvalidRequestStop <= 10_000,
                "Discord:InvalidRequestSlowdownStart must be below Discord:InvalidRequestStop, which must be at most 10000.")
            .Validate(o => o.IdentifyInterval >= TimeSpan.Zero && o.HelloTimeout > TimeSpan.Zero,
                "Discord:IdentifyInterval must not be negative and Discord:HelloTimeout must be positive.")
            .ValidateOnStart();

        // One instance for the whole process: the rate-limit state must be shared by every caller.
        services.AddSingleton(sp => new DiscordRestClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<IOptions<DiscordClientOptions>>(),
            sp.GetService<ILogger<DiscordRestClient>>()));
        services.AddSingleton<DiscordGatewayClient>();
        return services;
    }
}
