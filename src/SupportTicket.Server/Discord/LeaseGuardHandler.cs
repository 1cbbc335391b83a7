using SupportTicket.Server.Cluster;

namespace SupportTicket.Server.Discord;

public sealed class NotLeaderException() : InvalidOperationException("This node no longer holds the leader lease; Discord calls are refused");

// The last gate before the socket: every Discord REST call from this process passes here, so a node that lost the lease
// (or was paused past it) cannot post, whatever code path it was in when the lease went.
internal sealed class LeaseGuardHandler(ILeaderLease lease) : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        lease.IsLeader ? base.SendAsync(request, cancellationToken) : Task.FromException<HttpResponseMessage>(new NotLeaderException());
}
