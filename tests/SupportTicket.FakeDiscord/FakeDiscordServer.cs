using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SupportTicket.FakeDiscord.Endpoints;
using SupportTicket.FakeDiscord.Gateway;
using SupportTicket.FakeDiscord.Http;
using SupportTicket.FakeDiscord.Store;

namespace SupportTicket.FakeDiscord;

/// <summary>
/// A fake Discord (REST v10 + Gateway v10) on a loopback port of its own. Start one per test.
/// </summary>
public sealed partial class FakeDiscordServer(FakeDiscordOptions? options = null) : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;
    private int _unforced429;
    private int _forced;
    private int _webhookSublimit;
    private bool _down;
    private Random? _random;

    public FakeDiscordOptions Options { get; } = options ?? new FakeDiscordOptions();

    public FakeStore Store { get; } = new();

    public FakeGateway Gateway { get; private set; } = null!;

    internal FakeRateLimiter RateLimiter { get; private set; } = null!;

    internal FaultQueue Faults { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public string ApiBaseUrl => BaseUrl + "/api/v10";

    public string GatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gw";

    public string ResumeGatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gw-resume";

    public ulong GuildId { get; private set; }

    public ulong BotUserId { get; private set; }

    public ulong ApplicationId { get; private set; }

    /// <summary>Ticket categories, as the bot's configuration would name them.</summary>
    public ulong GeneralCategoryId { get; private set; }

    public ulong ArchiveCategoryId { get; private set; }

    public ulong GeneralTextChannelId { get; private set; }

    /// <summary>The fake's monotonic clock; RecordedRequest.ArrivedAt uses it.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>429s the client earned by exceeding a limit (not scripted ones). Should stay 0.</summary>
    public int Unforced429Count => Volatile.Read(ref _unforced429);

    public int ForcedFaultCount => Volatile.Read(ref _forced);

    public async Task StartAsync()
    {
        RateLimiter = new FakeRateLimiter(Options, () => Now);
        Gateway = new FakeGateway(this);
        SeedGuild();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        if (Options.LogToConsole)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        _app = builder.Build();
        _app.UseWebSockets();
        _app.UseRouting();
        var middleware = new FakeRestMiddleware(this);
        _app.Use(middleware.InvokeAsync);
        var api = _app.MapGroup("/api/v10");
        api.MapChannels(this);
        api.MapMessages(this);
        api.MapReads(this);
        api.MapWebhooks(this);
        api.MapInteractions(this);
        _app.MapGet("/attachments/{channel_id}/{attachment_id}/{file_name}", (HttpContext context, string attachment_id) => ServeAttachmentAsync(context, attachment_id));
        _app.Map("/gw", context => Gateway.AcceptAsync(context, resumePath: false));
        _app.Map("/gw-resume", context => Gateway.AcceptAsync(context, resumePath: true));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>While true every REST request answers 502 unprocessed, as during an outage (the gateway stays up).</summary>
    public bool Down
    {
        get => Volatile.Read(ref _down);
        set => Volatile.Write(ref _down, value);
    }

    /// <summary>Script a failure: "the next N requests on route R answer with this fault".</summary>
    public void InjectFault(Fault fault) => Faults.Add(fault);

    /// <summary>What the rate-limit headers of the route's bucket would say now (nothing is counted).</summary>
    public (int Limit, int Remaining, string Hash) PeekBucket(string route, string major)
    {
        var verdict = RateLimiter.Peek(route, major);
        return (verdict.Limit, verdict.Remaining, verdict.Hash);
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string route) => Requests.Where(r => r.Route == route).ToList();

    internal void Record(RecordedRequest request) => _requests.Enqueue(request);

    internal void CountUnforced429() => Interlocked.Increment(ref _unforced429);

    internal void CountForced() => Interlocked.Increment(ref _forced);

    /// <summary>A fault for this request when the outage or the random fault rate says so.</summary>
    internal Fault? RandomFault()
    {
        if (Down)
        {
            return new Fault(FaultKind.BadGateway);
        }

        if (Options.RandomFaultRate <= 0)
        {
            return null;
        }

        lock (Store.Gate)
        {
            _random ??= new Random(Options.RandomFaultSeed);
            if (_random.NextDouble() >= Options.RandomFaultRate)
            {
                return null;
            }

            return _random.Next(3) switch
            {
                0 => new Fault(FaultKind.RateLimitUser, RetryAfter: 0.05 + _random.NextDouble() * 0.2),
                1 => new Fault(FaultKind.BadGateway),
                _ => new Fault(FaultKind.BadGatewayAfterCommit),
            };
        }
    }

    /// <summary>429s of the webhook's per-channel sublimit (30 per minute): Discord does not announce it, so a client cannot avoid them all.</summary>
    public int WebhookSublimit429Count => Volatile.Read(ref _webhookSublimit);

    internal void CountWebhookSublimit() => Interlocked.Increment(ref _webhookSublimit);

    /// <summary>Takes the bot's access to a channel (or its right to manage channels in a category) away, as an admin would by hand.</summary>
    public void RevokeAccess(ulong channelId)
    {
        lock (Store.Gate) Store.NoAccess.Add(channelId);
    }

    public void RestoreAccess(ulong channelId)
    {
        lock (Store.Gate) Store.NoAccess.Remove(channelId);
    }

    internal bool HasNoAccess(ulong channelId)
    {
        lock (Store.Gate) return Store.NoAccess.Contains(channelId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            Gateway.AbortAll();
            await _app.StopAsync(TimeSpan.FromSeconds(2));
            await _app.DisposeAsync();
        }
    }
}
