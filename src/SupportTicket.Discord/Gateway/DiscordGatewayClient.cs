using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Gateway;

/// <summary>
/// Gateway v10 client. Start it once; it keeps a session alive across drops (Resume on the resume_gateway_url,
/// Identify when the session is gone) and writes every dispatch to <see cref="Events"/> exactly once.
/// A fatal close code (4004, 4010–4014) ends it: <see cref="Completion"/> faults with DiscordGatewayException
/// and <see cref="Events"/> completes with the same error.
/// </summary>
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

    /// <summary>
    /// The session to hand to a new client (<see cref="Start(CancellationToken, GatewaySession?)"/>) so it resumes
    /// instead of identifying: keep it across a restart after <c>StopAsync(resumable: true)</c>. Null without a session.
    /// </summary>
    public GatewaySession? Session => _state.Snapshot();

    /// <summary>Sessions in a row that died right after they started (each one cost an Identify).</summary>
    public int ConsecutiveShortSessions => _identify.ConsecutiveCrashes;

    /// <summary>The session_start_limit last read from GET /gateway/bot (Remaining counts the identifies since).</summary>
    public SessionStartLimit? SessionStartLimit => _identify.LastLimit;

    /// <summary>
    /// Starts connecting in the background. Cancelling the token (or StopAsync) shuts down cleanly. With
    /// <paramref name="resumeFrom"/> (another client's <see cref="Session"/>) it resumes that session first.
    /// </summary>
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

    /// <summary>
    /// Stops the client. By default it closes with 1000, which ends the session on Discord's side. With
    /// <paramref name="resumable"/> it closes with 4000 instead, so that <see cref="Session"/> can be resumed by the
    /// next process (a restart that misses no events and spends no Identify).
    /// </summary>
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
