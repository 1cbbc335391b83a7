using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportTicket.Discord;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Outbox;

namespace SupportTicket.Server.Discord;

internal static class DiscordBotExtensions
{
    // The bot when DISCORD_BOT_TOKEN (Discord:Token) is set, registered as the outbox's consumer (OutboxConsumer);
    // otherwise nothing, so the server serves exactly as without Discord and writes no queue rows. A token with a
    // missing or malformed id fails startup (DiscordBotOptionsValidator), with one line naming the setting.
    public static IServiceCollection AddDiscordBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordBotOptions>().BindConfiguration(DiscordBotOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscordBotOptions>, DiscordBotOptionsValidator>();
        var enabled = DiscordBotOptions.EnabledIn(configuration);
        services.AddSingleton(sp => new DiscordStatus(enabled, sp));
        if (!enabled) return services;
        services.AddSingleton(new OutboxConsumer("discord"));

        services.AddDiscordClient(o => o.Intents |= GatewayIntents.GuildMessageTyping);
        // The cluster (AddCluster) registers the PostgreSQL lease first; alone, this node is the leader.
        services.TryAddSingleton<ILeaderLease, SingleNodeLease>();
        // The same client as AddDiscordClient registers, behind the lease guard: a node that lost the lease sends nothing.
        services.Replace(ServiceDescriptor.Singleton(sp => new DiscordRestClient(
            new HttpClient(new LeaseGuardHandler(sp.GetRequiredService<ILeaderLease>())) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<DiscordClientOptions>>(), sp.GetService<ILogger<DiscordRestClient>>())));
        services.AddSingleton<DiscordBotState>();
        services.AddSingleton<ThreadParents>();
        services.AddSingleton<GuildMembers>();
        services.AddScoped<ChannelKeeper>();
        services.AddScoped<TranscriptPoster>();
        services.AddScoped<TranscriptImages>();
        services.AddScoped<LogChannel>();
        services.AddScoped<TicketMirror>();
        services.AddScoped<MirrorLookup>();
        services.AddScoped<InboundRelay>();
        services.AddScoped<InboundDelivery>();
        services.AddScoped<InboundNotices>();
        services.AddScoped<AttachmentRehost>();
        services.AddHttpClient(AttachmentRehost.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<AgentCommands>();
        services.AddScoped<IAgentWorkflow, DiscordAgentWorkflow>();
        services.AddScoped<InteractionHandler>();
        services.AddHostedService<GatewayListener>();
        services.AddSingleton<OutboxRowRunner>();
        services.AddHostedService<OutboxSender>();
        services.AddHostedService<InboundRetryService>();
        return services;
    }
}
