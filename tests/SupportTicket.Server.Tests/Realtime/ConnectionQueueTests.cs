using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>The per-connection queue, with a hub whose writes to one connection never complete (a stuck client).</summary>
public sealed class ConnectionQueueTests
{
    [Fact]
    public async Task Connection_that_cannot_keep_up_is_closed_while_the_others_receive_everything()
    {
        var hub = new FakeHub(stuckConnectionId: "stuck");
        var connections = new RealtimeConnections(hub, Options.Create(new RealtimeOptions { ConnectionQueueLength = 2 }),
            TimeProvider.System, NullLogger<RealtimeConnections>.Instance);
        var stuck = new FakeContext("stuck");
        var healthy = new FakeContext("healthy");
        var stuckConnection = connections.Add(stuck);
        var healthyConnection = connections.Add(healthy);

        for (var i = 0; i < 5; i++)
        {
            connections.Enqueue(stuckConnection, "message", i);
            connections.Enqueue(healthyConnection, "message", i);
            await hub.WaitForAsync("healthy", i + 1);
        }

        // With room for two queued events (plus one stuck in its pump), the stuck connection overflows by the fourth.
        Assert.True(stuck.Aborted);
        Assert.False(healthy.Aborted);
        Assert.Equal([0, 1, 2, 3, 4], hub.Sent("healthy"));
    }

    private sealed class FakeContext(string id) : HubCallerContext
    {
        public bool Aborted { get; private set; }
        public override string ConnectionId => id;
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() => Aborted = true;
    }

    private sealed class FakeHub(string stuckConnectionId) : IHubContext<TicketHub>
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<object?>> _sent = new();
        private readonly SemaphoreSlim _signal = new(0);
        private readonly string _stuckConnectionId = stuckConnectionId;

        public IHubClients Clients => new OnlyClient(this);
        public IGroupManager Groups => throw new NotSupportedException();

        public IReadOnlyList<object?> Sent(string connectionId) => [.. _sent.GetOrAdd(connectionId, _ => new())];

        public async Task WaitForAsync(string connectionId, int count)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Sent(connectionId).Count < count) await _signal.WaitAsync(cts.Token);
        }

        private sealed class Proxy(FakeHub hub, string connectionId) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                if (connectionId == hub._stuckConnectionId) return new TaskCompletionSource().Task;
                hub._sent.GetOrAdd(connectionId, _ => new()).Enqueue(args[0]);
                hub._signal.Release();
                return Task.CompletedTask;
            }
        }

        private sealed class OnlyClient(FakeHub hub) : IHubClients
        {
            public IClientProxy Client(string connectionId) => new Proxy(hub, connectionId);
            public IClientProxy All => throw new NotSupportedException();
            public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
            public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
            public IClientProxy Group(string groupName) => throw new NotSupportedException();
            public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
            public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
            public IClientProxy User(string userId) => throw new NotSupportedException();
            public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }
    }
}
