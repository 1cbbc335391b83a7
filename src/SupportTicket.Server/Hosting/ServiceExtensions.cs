using System.Text.Json;

namespace SupportTicket.Server.Hosting;

internal static class ServiceExtensions
{
    public static IServiceCollection AddJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });

    public static IServiceCollection AddStartupChecks(this IServiceCollection services) =>
        services.AddHostedService<StartupChecks>();

    public static IServiceCollection AddClock(this IServiceCollection services) => services.AddSingleton(TimeProvider.System);
}
