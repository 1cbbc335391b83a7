using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Gateway;

/// <summary>
/// Gateway v10 client. Start it once; it keeps a session alive across drops (Resume on the resume_gateway_url,
/// Identify when the session is gone) and writes every dispatch to <see cref="Events"/> exactly once.
/// A fatal close code (4004, 4010–4014) ends it: <see cref="Completion"/> faults with DiscordGatewayException
/// and <see cref="Events"/> completes with the same error.
/// </summary>
public sealed class DiscordGatewayClient(
    DiscordRestClient rest, IOptions<DiscordClientOptions> options, ILogger<DiscordGatewayClient>? logger = null) : IAsyncDisposable
{
    private readonly DiscordClientOptions _options = options.Value;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly Channel<GatewayEvent> _events = Channel.CreateUnbounded<GatewayEvent>(new() { SingleWriter = true });
    private readonly GatewayState _state = new();
    private readonly CancellationTokenSource _stop = new();
    private string? _gatewayUrl;
    private int _started;

    public ChannelReader<GatewayEvent> Events => _events.Reader;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public string? SessionId => _state.SessionId;

    /// <summary>Starts connecting in the background. Cancelling the token (or StopAsync) shuts down cleanly.</summary>
    public void Start(CancellationToken ct = default)
    {
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

    public async Task StopAsync()
    {
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

    private async Task ConnectLoopAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var outcome = await ConnectOnceAsync(ct);
            ct.ThrowIfCancellationRequested();
            if (outcome.Next == NextStep.Fatal)
            {
                _logger.LogCritical("Gateway closed with fatal code {CloseCode}: {Reason}", outcome.CloseCode, outcome.Reason);
                throw new DiscordGatewayException(outcome.CloseCode ?? 0, outcome.Reason);
            }

            if (outcome.Next == NextStep.Identify)
            {
                _state.Clear();
            }

            // Back off only while connections keep failing; a healthy session that dropped reconnects at once.
            failures = outcome.ReachedReady ? 0 : failures + 1;
            var backoff = failures == 0 ? TimeSpan.Zero : _options.ReconnectDelay * Math.Pow(2, Math.Min(failures - 1, 6));
            var delay = outcome.Delay > backoff ? outcome.Delay : backoff;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
        }
    }

    private async Task<ConnectionOutcome> ConnectOnceAsync(CancellationToken ct)
    {
        var resume = _state.CanResume;
        try
        {
            _gatewayUrl ??= (await rest.GetGatewayBotAsync(ct)).Url;
            var url = resume ? _state.ResumeUrl! : _gatewayUrl;
            var connection = new GatewayConnection(_options, _state, _events.Writer, _logger);
            return await connection.RunAsync(url, resume, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not DiscordUnauthorizedException)
        {
            _logger.LogWarning(ex, "Gateway connection attempt failed");
            return new ConnectionOutcome(resume ? NextStep.Resume : NextStep.Identify, false, null, ex.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Gateway connection attempt timed out");
            return new ConnectionOutcome(resume ? NextStep.Resume : NextStep.Identify, false, null, "timeout");
        }
    }
}
