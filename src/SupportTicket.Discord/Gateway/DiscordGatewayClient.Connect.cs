using Microsoft.Extensions.Logging;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Gateway;

public sealed partial class DiscordGatewayClient
{
    private async Task ConnectLoopAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var resume = _state.CanResume;
            var outcome = await ConnectOnceAsync(resume, ct);
            ct.ThrowIfCancellationRequested();
            if (outcome.Next == NextStep.Fatal)
            {
                _logger.LogCritical("Gateway closed with fatal code {CloseCode}: {Reason}", outcome.CloseCode, outcome.Reason);
                throw new DiscordGatewayException(outcome.CloseCode ?? 0, outcome.Reason);
            }

            _resumeFailures = resume && !outcome.ReachedReady ? _resumeFailures + 1 : 0;
            if (outcome.Next == NextStep.Identify)
            {
                _state.Clear();
                _identify.SessionLost();
                _resumeFailures = 0;
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

    private async Task<ConnectionOutcome> ConnectOnceAsync(bool resume, CancellationToken ct)
    {
        try
        {
            string url;
            if (resume)
            {
                var fallback = _resumeFailures >= _options.ResumeAttemptsBeforeFallback && _gatewayUrl is not null;
                if (fallback)
                {
                    _logger.LogWarning("Resuming on {Url} failed {Failures} times; resuming on the gateway URL", _state.ResumeUrl, _resumeFailures);
                }

                url = fallback ? _gatewayUrl! : _state.ResumeUrl!;
            }
            else
            {
                url = await PrepareIdentifyAsync(ct);
            }

            var connection = new GatewayConnection(_options, _state, _identify, _events.Writer, _logger);
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

    private async Task<string> PrepareIdentifyAsync(CancellationToken ct)
    {
        try
        {
            var info = await rest.GetGatewayBotAsync(ct);
            _gatewayUrl = info.Url;
            _identify.UpdateLimit(info.SessionStartLimit);
            if (info.SessionStartLimit.Remaining <= 0)
            {
                _logger.LogCritical("Discord's daily identify budget is spent ({Total}); waiting {ResetAfterMs} ms for it to reset",
                    info.SessionStartLimit.Total, info.SessionStartLimit.ResetAfter);
            }
        }
        catch (Exception ex) when (_gatewayUrl is not null && ex is not OperationCanceledException && ex is not DiscordUnauthorizedException)
        {
            // The cached URL still works; the budget is then judged from what was last read.
            _logger.LogWarning(ex, "GET /gateway/bot failed; identifying on the cached gateway URL");
        }

        var (wait, reason) = _identify.DelayBeforeIdentify();
        if (wait > TimeSpan.Zero)
        {
            _logger.LogWarning("Waiting {WaitMs} ms before identifying ({Reason})", wait.TotalMilliseconds, reason);
            await Task.Delay(wait, ct);
        }

        return _gatewayUrl!;
    }
}
