using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Events;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.RateLimiting;

// Limits hub methods like endpoints: authorize attempts, subscribe/unsubscribe and typing. An over-limit call gets the
// error event with the seed's message and is skipped; the connection stays up.
internal sealed class RateLimitHubFilter(RateLimitChecker checker, IHubCallerIdentity identity, HubConnectionCaps caps, IHubConnectionRegistry cluster)
    : IHubFilter
{
    private static readonly Dictionary<string, string> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["authorize"] = RatePolicies.HubAuthorize,
        ["subscribe"] = RatePolicies.HubSubscribe,
        ["unsubscribe"] = RatePolicies.HubSubscribe,
        ["typing"] = RatePolicies.HubTyping,
        ["markRead"] = RatePolicies.HubMarkRead,
    };

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!checker.Enabled || !Policies.TryGetValue(MethodName(invocation), out var policy)) return await next(invocation);
        var context = invocation.Context;
        if (policy == RatePolicies.HubAuthorize) return await AuthorizeCountingFailuresAsync(invocation, next);
        var (key, role) = identity.Identify(context);
        var decision = await checker.HitAsync(policy, key, role, context.ConnectionAborted);
        if (decision is { Allowed: false })
        {
            Metrics.ServerMetrics.Rejected(policy);
            await invocation.Hub.Clients.Caller.SendAsync(EventNames.Error, new ErrorPayload(decision.Message), context.ConnectionAborted);
            return null;
        }
        return await next(invocation);
    }

    // Authorize attempts are counted per client IP (before one succeeds there is no user), and only the failed ones:
    // many people share an address, and a token that validates is never refused. Past the limit a failed attempt is
    // answered with the rate-limit error and the connection is closed, so guessing costs a new connection each time.
    private async ValueTask<object?> AuthorizeCountingFailuresAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var failuresBefore = identity.FailedAuthorizations(invocation.Context);
        var result = await next(invocation);
        await CountFailureAsync(invocation.Context, failuresBefore);
        await EnforceConnectionCapAsync(invocation.Context);
        return result;
    }

    private async Task CountFailureAsync(HubCallerContext context, int failuresBefore)
    {
        if (!checker.Enabled || identity.FailedAuthorizations(context) == failuresBefore) return;
        var ip = RateLimitPartition.IpKey(context.GetHttpContext()?.Connection.RemoteIpAddress);
        var decision = await checker.HitAsync(RatePolicies.HubAuthorize, ip, role: null, CancellationToken.None);
        if (decision is { Allowed: false }) identity.CloseWithError(context, decision.Message);
    }

    // HubMethodName is the C# name (TypingAsync); clients call the name the hub declares with [HubMethodName].
    private static string MethodName(HubInvocationContext invocation) =>
        invocation.HubMethod.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? invocation.HubMethodName;

    public async Task OnConnectedAsync(HubLifetimeContext lifetime, Func<HubLifetimeContext, Task> next)
    {
        await next(lifetime);
        await CountFailureAsync(lifetime.Context, failuresBefore: 0);
        await EnforceConnectionCapAsync(lifetime.Context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext lifetime, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        caps.Remove(lifetime.Context.ConnectionId);
        await cluster.RemoveAsync(lifetime.Context.ConnectionId);
        await next(lifetime, exception);
    }

    // After connect and after every authorize: a connection over a cap is told why and closed. Until it authorizes it
    // counts per address and in total; once its user is known, per user, and a guest also per address.
    private async Task EnforceConnectionCapAsync(HubCallerContext context)
    {
        var id = context.ConnectionId;
        var address = RateLimitPartition.IpKey(context.GetHttpContext()?.Connection.RemoteIpAddress);
        var (key, role) = identity.Identify(context);
        if (!key.StartsWith(RateLimitPartition.UserPrefix, StringComparison.Ordinal))
        {
            if (!caps.AnonymousPerAddress.TryAdd(id, address))
                identity.CloseWithError(context, $"Too many connections: at most {caps.AnonymousPerAddress.Max} unauthorized hub connections per address are allowed");
            else if (!caps.AnonymousTotal.TryAdd(id, HubConnectionCaps.Everyone))
                identity.CloseWithError(context, "Too many unauthorized hub connections: try again shortly");
            return;
        }
        caps.AnonymousPerAddress.Remove(id);
        caps.AnonymousTotal.Remove(id);
        // Per user: this node's count, then the cluster's (Redis) when there is one; without an answer from the
        // cluster the node's own count decides, as the REST limiter falls back to local counting.
        if (!caps.PerUser.TryAdd(id, key) || (caps.PerUser.Max > 0 && await cluster.TryAddAsync(id, key, caps.PerUser.Max) == false))
        {
            caps.PerUser.Remove(id);
            identity.CloseWithError(context, $"Too many connections: at most {caps.PerUser.Max} hub connections per user are allowed");
        }
        else if (role != Roles.TempUser) caps.GuestsPerAddress.Remove(id);
        else if (!caps.GuestsPerAddress.TryAdd(id, address))
            identity.CloseWithError(context, $"Too many connections: at most {caps.GuestsPerAddress.Max} guest hub connections per address are allowed");
    }
}

public interface IHubCallerIdentity
{
    (string Key, string? Role) Identify(HubCallerContext context);

    int FailedAuthorizations(HubCallerContext context);

    void CloseWithError(HubCallerContext context, string message);
}

// The user the hub authorized (the seed's authorize handshake or a token at connect), otherwise the user of the
// request's own token, otherwise the client IP.
internal sealed class RealtimeCallerIdentity(RealtimeConnections connections) : IHubCallerIdentity
{
    public (string Key, string? Role) Identify(HubCallerContext context)
    {
        var ip = context.GetHttpContext()?.Connection.RemoteIpAddress;
        // Only the hub's own authorization counts (TicketHub validates every hub token); no second source to fall back on.
        if (connections.Find(context.ConnectionId)?.Identity?.User is { } user) return (RateLimitPartition.UserPrefix + user.Id, user.Role);
        return (RateLimitPartition.IpKey(ip), null);
    }

    public int FailedAuthorizations(HubCallerContext context) => connections.Find(context.ConnectionId)?.FailedAuthorizations ?? 0;

    public void CloseWithError(HubCallerContext context, string message)
    {
        if (connections.Find(context.ConnectionId) is { } connection) connections.CloseWithError(connection, message);
        else context.Abort();
    }
}
