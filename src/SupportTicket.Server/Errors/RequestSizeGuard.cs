using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Hosting;

namespace SupportTicket.Server.Errors;

// Refuses oversize requests before anything reads them, with the error body: a declared body over the limit (413;
// Kestrel enforces the same limit on chunked bodies, and this guard also holds behind hosts that do not, such as the
// test host), a request line over the limit (414) and request headers over the limit (431).
internal sealed class RequestSizeGuard(RequestDelegate next, IOptions<ServerOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var maxBody = limits.MaxRequestBodyBytes;
        // An endpoint may allow more (uploads); Kestrel is told too, for bodies without a declared length.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } endpointMax && endpointMax > maxBody)
        {
            maxBody = endpointMax;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = endpointMax;
        }
        if (context.Request.ContentLength > maxBody)
            return ApiErrors.Write(context, ApiError.TooLarge($"Request body is larger than {maxBody} bytes"));
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        if (context.Request.Method.Length + target.Length > limits.MaxRequestLineBytes)
            return ApiErrors.Write(context, new ApiError(414, "BAD_REQUEST", $"Request URL is longer than {limits.MaxRequestLineBytes} bytes"));
        if (HeaderBytes(context.Request.Headers) > limits.MaxRequestHeadersBytes)
            return ApiErrors.Write(context, new ApiError(431, "BAD_REQUEST", $"Request headers are larger than {limits.MaxRequestHeadersBytes} bytes"));
        return next(context);
    }

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
            foreach (var value in values) total += name.Length + (value?.Length ?? 0);
        return total;
    }
}
