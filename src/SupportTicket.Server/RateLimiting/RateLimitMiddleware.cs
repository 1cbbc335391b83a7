using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.RateLimiting;

internal sealed class RateLimitMiddleware(RequestDelegate next, RateLimitChecker checker)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<RateLimitPolicyMetadata>();
        if (policy is null || !checker.Enabled)
        {
            await next(context);
            return;
        }
        var (key, role) = RateLimitPartition.For(context.User, context.Connection.RemoteIpAddress);
        var decision = await checker.HitAsync(policy.Name, key, role, context.RequestAborted);
        if (decision is { Allowed: true } && role == Roles.TempUser && RatePolicies.GuestAddressPolicies.TryGetValue(policy.Name, out var perAddress)
            && await checker.HitAsync(perAddress, RateLimitPartition.IpKey(context.Connection.RemoteIpAddress), null, context.RequestAborted) is { Allowed: false } guests)
            decision = guests;
        if (decision is null)
        {
            await next(context);
            return;
        }
        if (!decision.Allowed)
        {
            await RateLimitHeaders.RejectAsync(context, decision);
            return;
        }
        // Set when the response starts: the exception handler clears headers before it writes a 500.
        context.Response.OnStarting(() =>
        {
            RateLimitHeaders.Set(context.Response, decision);
            return Task.CompletedTask;
        });
        await next(context);
    }
}

// Slows token guessing from one IP without locking out the people who share it (an office NAT, a carrier's CGNAT, a
// proxy not in KNOWN_PROXIES): only 401 answers count, and past the limit a request is refused only when its token does
// not validate. A valid token is always served; abuse by valid users is what the per-user limits are for.
internal sealed class AuthFailureLimitMiddleware(RequestDelegate next, RateLimitChecker checker)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The hub reads its own token (access_token or authorize) and counts its own failures (HubAuthorize), so a
        // browser's WebSocket, which cannot send an Authorization header, is not refused here for REST failures.
        if (!checker.Enabled || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/hubs")
            || !NeedsAuthorization(context.GetEndpoint()))
        {
            await next(context);
            return;
        }
        var key = RateLimitPartition.IpKey(context.Connection.RemoteIpAddress);
        if (await checker.PeekAsync(RatePolicies.AuthFailures, key, context.RequestAborted) is { Allowed: false } blocked
            && !(await context.AuthenticateAsync()).Succeeded)
        {
            await RateLimitHeaders.RejectAsync(context, blocked);
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            await checker.HitAsync(RatePolicies.AuthFailures, key, role: null, CancellationToken.None);
    }

    // An endpoint open to everyone (an attachment link, the API docs) never answers 401, so it tells a token guesser
    // nothing, and refusing it would only shut out the other people behind a guesser's address. Unknown routes (no
    // endpoint) stay refused: they need nothing, but serve nothing either.
    private static bool NeedsAuthorization(Endpoint? endpoint) =>
        endpoint is null || (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null);
}

public sealed record RateLimitPolicyMetadata(string Name);
