namespace SupportTicket.Server.Hosting;

// Maps the seed's flat variable names (WEB_SERVER_PORT, JWT_SECRET_KEY, …) onto configuration sections, so a deployment
// written for the original server works unchanged.
internal static class FlatEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["WEB_SERVER_PORT"] = "Server:Port",
        ["CORS_ALLOWED_ORIGINS"] = "Server:CorsAllowedOrigins",
        ["KNOWN_PROXIES"] = "Server:KnownProxies",
        ["JWT_SECRET_KEY"] = "Auth:SecretKey",
        ["JWT_ISSUER"] = "Auth:Issuer",
        ["JWT_AUDIENCE"] = "Auth:Audience",
        ["DATABASE_URL"] = "Storage:DatabaseUrl",
        ["REDIS_URL"] = "Redis:Url",
        ["CLUSTER_CHANNEL_PREFIX"] = "Cluster:ChannelPrefix",
        ["NODE_NAME"] = "Cluster:NodeName",
        ["CLUSTER_RELAY_SECRET"] = "Cluster:RelaySecret",
        ["LOG_LEVEL"] = "Serilog:MinimumLevel:Default",
        ["DISCORD_BOT_TOKEN"] = "Discord:Token",
        ["GUILD_ID"] = "Discord:GuildId",
        ["TRANSCRIPT_CHANNEL_ID"] = "Discord:TranscriptChannelId",
        ["GENERAL_TICKET_CATEGORY_ID"] = "Discord:GeneralCategoryId",
        ["URGENT_TICKET_CATEGORY_ID"] = "Discord:UrgentCategoryId",
        ["CRITICAL_TICKET_CATEGORY_ID"] = "Discord:CriticalCategoryId",
        ["ADMIN_ROLE_ID"] = "Discord:AdminRoleId",
        ["MANAGER_ROLE_ID"] = "Discord:ManagerRoleId",
        ["DEVELOPER_ROLE_ID"] = "Discord:DeveloperRoleId",
        ["SUPPORT_TEAM_ROLE_ID"] = "Discord:SupportTeamRoleId",
        ["ERROR_WEBHOOK_URL"] = "Logging:ErrorWebhookUrl",
        ["ERROR_BOT_WEBHOOK_URL"] = "Logging:ErrorBotWebhookUrl",
        ["METRICS_TOKEN"] = "Metrics:Token",
    };

    public static IConfigurationBuilder AddFlatEnvironment(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (flat, key) in Map)
        {
            var value = Environment.GetEnvironmentVariable(flat);
            if (!string.IsNullOrWhiteSpace(value)) values[key] = value;
        }
        return configuration.AddInMemoryCollection(values);
    }
}
