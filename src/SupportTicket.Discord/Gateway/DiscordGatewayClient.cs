using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Gateway;

// Gateway v10 client. Start it once; it keeps a session alive across drops (Resume on the resume_gateway_url, Identify
// when the session is gone) and writes every dispatch to Events exactly once. A fatal close code (4004, 4010–4014) ends
// it: Completion faults with DiscordGatewayException and Events completes with the same error.
public sealed partial class DiscordGatewayClient(
    DiscordRestClient rest, IOptions<DiscordClientOptions> options, ILogger<DiscordGatewayClient>? logger = null) : IAsyncDisposable
{
    private readonly DiscordClientOptions _options = options.Value;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly Channel<GatewayEvent> _events = Channel.CreateUnbounded<GatewayEvent>(new() { SingleWriter = true });
    private readonly GatewayState _state = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IdentifyLimiter _identify = new(options.Value, TimeProvider.System);
    private string? _gatewayUrl;
    private int _resumeFailures;
    private int _started;

    public ChannelReader<GatewayEvent> Events => _events.Reader;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public string? SessionId => _state.SessionId;

    // The session to hand to a new client (Start) so it resumes instead of identifying: keep it across a restart after
    // StopAsync(resumable: true). Null without a session.
    public GatewaySession? Session => _state.Snapshot();

    public int ConsecutiveShortSessions => _identify.ConsecutiveCrashes;

    public SessionStartLimit? SessionStartLimit => _identify.LastLimit;

    public void Start(CancellationToken ct = default, GatewaySession? resumeFrom = null)
    {
        if (resumeFrom is not null && Volatile.Read(ref _started) == 0)
        {
            _state.Restore(resumeFrom);
        }

        // One run per instance: the event stream completes when the run ends and cannot be reopened.
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The gateway client was already started; create a new one to reconnect after a fatal error.");
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        Completion = Task.Run(() => RunAsync(linked.Token)).ContinueWith(
            t =>
            {
                linked.Dispose();
                return t;
            },
            TaskScheduler.Default).Unwrap();
    }

    // Stops the client. By default it closes with 1000, which ends the session on Discord's side. With resumable it
    // closes with 4000 instead, so that Session can be resumed by the next process (a restart that misses no events and
    // spends no Identify).
    public async Task StopAsync(bool resumable = false)
    {
        _state.StopResumable = resumable;
        await _stop.CancelAsync();
        try
        {
            await Completion;
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception ex) when (ex is DiscordGatewayException or Rest.DiscordRestException)
        {
            // Already reported through Completion and Events.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await ConnectLoopAsync(ct);
            _events.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _events.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _events.Writer.TryComplete(ex);
            throw;
        }
    }
}
