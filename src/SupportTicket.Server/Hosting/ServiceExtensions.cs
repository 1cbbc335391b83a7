using System.Text.Json;

namespace SupportTicket.Server.Hosting;

internal static class ServiceExtensions
{
    /// <summary>snake_case JSON in and out, as the seed's objects are written.</summary>
    public static IServiceCollection AddJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });

    public static IServiceCollection AddStartupChecks(this IServiceCollection services) =>
        services.AddHostedService<StartupChecks>();

    /// <summary>The one clock every feature reads; tests replace it (ConfigureTestServices).</summary>
    public static IServiceCollection AddClock(this IServiceCollection services) => services.AddSingleton(TimeProvider.System);
}
