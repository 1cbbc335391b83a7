using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SupportTicket.TrustedBackend.Auth;

/// <summary>Per-IP limit on the auth endpoints, which is what slows down password guessing.</summary>
public static class AuthRateLimits
{
    public const string Policy = "auth";
    public const string GuestPolicy = "guest";

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<BackendOptions>>().Value.AuthRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });
            });
            limiter.AddPolicy(GuestPolicy, http =>
            {
                var perHour = http.RequestServices.GetRequiredService<IOptions<BackendOptions>>().Value.GuestsPerHour;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perHour, Window = TimeSpan.FromHours(1) });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await response.WriteAsJsonAsync(
                    new ErrorBody("RATELIMIT", "Too many attempts from your address. Please wait a moment."), cancellationToken);
            };
        });
}
