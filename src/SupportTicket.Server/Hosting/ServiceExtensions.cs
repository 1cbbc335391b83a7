using System.Text.Json;
using SupportTicket.Server.Idempotency;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

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

    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IdempotencyKeys>();
        services.AddScoped<TicketService>();
        services.AddScoped<MessageService>();
        // The EF model of a throw-away context; the model itself is shared and lives as long as the app.
        services.AddSingleton(sp =>
        {
            using var scope = sp.CreateScope();
            return new MessageSql(scope.ServiceProvider.GetRequiredService<AppDbContext>().Model);
        });
        services.AddSingleton<MessageBatcher>(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresMessageBatcher>(sp)
            : ActivatorUtilities.CreateInstance<SqliteMessageBatcher>(sp));
        services.AddHostedService<IdempotencyExpiry>();
        return services;
    }
}
