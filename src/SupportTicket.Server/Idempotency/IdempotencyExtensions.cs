namespace SupportTicket.Server.Idempotency;

internal static class IdempotencyExtensions
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services) =>
        services.AddScoped<IdempotencyKeys>().AddHostedService<IdempotencyExpiry>();
}
