using Microsoft.Extensions.Options;
using SupportTicket.Server.Hosting;

namespace SupportTicket.Server.Errors;

/// <summary>
/// Refuses a declared oversize body before anything reads it. Kestrel enforces the same limit on chunked
/// bodies (Server:MaxRequestBodyBytes); this guard also holds behind hosts that do not, such as the test host.
/// </summary>
internal sealed class RequestSizeGuard(RequestDelegate next, IOptions<ServerOptions> options)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Request.ContentLength > options.Value.MaxRequestBodyBytes
            ? ApiErrors.Write(context, ApiError.TooLarge($"Request body is larger than {options.Value.MaxRequestBodyBytes} bytes"))
            : next(context);
}
