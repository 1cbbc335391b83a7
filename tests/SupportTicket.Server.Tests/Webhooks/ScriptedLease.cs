using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// A lease the test hands out: <see cref="Lead"/> starts a term with an epoch; nothing ends it unless the test says
/// so, which is exactly a node paused past its lease (it still believes it leads while another node holds it).
/// </summary>
public sealed class ScriptedLease : ILeaderLease
{
    private readonly TaskCompletionSource<CancellationToken> _term = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lost = new();
    private long? _epoch;

    public bool IsLeader => _epoch is not null && !_lost.IsCancellationRequested;

    public long? FencingToken => _epoch;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct) => _term.Task.WaitAsync(ct);

    public void Lead(long? epoch)
    {
        _epoch = epoch;
        _term.TrySetResult(_lost.Token);
    }
}

/// <summary>The real app with its lease replaced by a <see cref="ScriptedLease"/> (on PostgreSQL the real lease's renewal loop is idle).</summary>
public sealed class LeaseApp(Store store, Dictionary<string, string?> settings) : TestApp(store, settings)
{
    public ScriptedLease Lease { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<ILeaderLease>(Lease));
            for (var i = 0; i < services.Count; i++)
                if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationFactory is { } make)
                    services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => make(sp) is PostgresLeaderLease ? new Idle() : (IHostedService)make(sp));
        });
    }

    private sealed class Idle : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
