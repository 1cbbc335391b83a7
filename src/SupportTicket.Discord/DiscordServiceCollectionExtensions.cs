using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>Registers DiscordRestClient (typed HttpClient) and DiscordGatewayClient with options from "Discord".</summary>
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
