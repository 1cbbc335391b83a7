using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Events;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.RateLimiting;

/// <summary>
/// Limits hub methods like endpoints: <c>authorize</c> attempts, <c>subscribe</c>/<c>unsubscribe</c> and <c>typing</c>.
/// An over-limit call gets the <c>error</c> event with the seed's message and is skipped; the connection stays up.
/// </summary>
internal sealed class RateLimitHubFilter(RateLimitChecker checker, IHubCallerIdentity identity, HubConnectionCap cap, IHubConnectionRegistry cluster)
    : IHubFilter
{
    private static readonly Dictionary<string, string> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["authorize"] = RatePolicies.HubAuthorize,
        ["subscribe"] = RatePolicies.HubSubscribe,
        ["unsubscribe"] = RatePolicies.HubSubscribe,
        ["typing"] = RatePolicies.HubTyping,
    };

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!checker.Enabled || !Policies.TryGetValue(MethodName(invocation), out var policy)) return await next(invocation);
        var context = invocation.Context;
        // Authorize attempts are counted per client IP: before it succeeds there is no user to count them against.
        var (key, role) = policy == RatePolicies.HubAuthorize
            ? (RateLimitPartition.IpKey(context.GetHttpContext()?.Connection.RemoteIpAddress), null)
            : identity.Identify(context);
        var decision = await checker.HitAsync(policy, key, role, context.ConnectionAborted);
        if (decision is { Allowed: false })
        {
            Metrics.ServerMetrics.Rejected(policy);
            await invocation.Hub.Clients.Caller.SendAsync(EventNames.Error, new ErrorPayload(decision.Message), context.ConnectionAborted);
            return null;
        }
        var result = await next(invocation);
        if (policy == RatePolicies.HubAuthorize) await EnforceConnectionCapAsync(context, invocation.Hub.Clients.Caller);
        return result;
    }

    // HubMethodName is the C# name (TypingAsync); clients call the name the hub declares with [HubMethodName].
    private static string MethodName(HubInvocationContext invocation) =>
        invocation.HubMethod.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? invocation.HubMethodName;

    public async Task OnConnectedAsync(HubLifetimeContext lifetime, Func<HubLifetimeContext, Task> next)
    {
        await next(lifetime);
        await EnforceConnectionCapAsync(lifetime.Context, lifetime.Hub.Clients.Caller);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext lifetime, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        cap.Remove(lifetime.Context.ConnectionId);
        await cluster.RemoveAsync(lifetime.Context.ConnectionId);
        await next(lifetime, exception);
    }

    // After the hub has identified the caller (token at connect, or authorize): one connection too many is told
    // why and closed. The cap counts only connections whose user is known.
    private async Task EnforceConnectionCapAsync(HubCallerContext context, IClientProxy caller)
    {
        if (cap.Max == 0 || identity.Identify(context) is not ({ } key, _) || !key.StartsWith(RateLimitPartition.UserPrefix, StringComparison.Ordinal)) return;
        if (cap.TryAdd(context.ConnectionId, key))
        {
            if (await cluster.TryAddAsync(context.ConnectionId, key, cap.Max) != false) return;
            cap.Remove(context.ConnectionId); // within this node's count, over the cluster's
        }
        await caller.SendAsync(EventNames.Error, new ErrorPayload($"Too many connections: at most {cap.Max} hub connections per user are allowed"));
        context.Abort();
    }
}

/// <summary>Who is calling the hub, for rate limiting: the user once known, otherwise the client IP.</summary>
public interface IHubCallerIdentity
{
    (string Key, string? Role) Identify(HubCallerContext context);
}

/// <summary>
/// The user the hub authorized (the seed's <c>authorize</c> handshake or a token at connect), otherwise the
/// user of the request's own token, otherwise the client IP.
/// </summary>
internal sealed class RealtimeCallerIdentity(RealtimeConnections connections) : IHubCallerIdentity
{
    public (string Key, string? Role) Identify(HubCallerContext context)
    {
        var ip = context.GetHttpContext()?.Connection.RemoteIpAddress;
        // Only the hub's own authorization counts (TicketHub validates every hub token); no second source to fall back on.
        if (connections.Find(context.ConnectionId)?.Identity?.User is { } user) return (RateLimitPartition.UserPrefix + user.Id, user.Role);
        return (RateLimitPartition.IpKey(ip), null);
    }
}
