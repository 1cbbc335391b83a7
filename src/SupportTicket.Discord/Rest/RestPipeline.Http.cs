namespace SupportTicket.Discord.Rest;

internal sealed partial class RestPipeline
{
    private async Task<HttpResponseMessage> SendOnceAsync(RestRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(request.Method, options.ApiBaseUrl.TrimEnd('/') + request.Path)
        {
            Content = request.Content(),
        };
        if (request.BotAuth)
        {
            message.Headers.TryAddWithoutValidation("Authorization", $"Bot {options.Token}");
        }

        message.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
        if (request.AuditLogReason is { } reason)
        {
            message.Headers.TryAddWithoutValidation("X-Audit-Log-Reason", Uri.EscapeDataString(reason));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
    }
}
