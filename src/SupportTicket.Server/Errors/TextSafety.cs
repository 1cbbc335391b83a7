using System.Text;

namespace SupportTicket.Server.Errors;

// Text PostgreSQL cannot store (NUL, lone surrogates) is a client mistake, so it is refused up front rather than
// failing in the driver as a 500.
public static class TextSafety
{
    public static bool IsStorable(string value)
    {
        if (value.Contains('\0')) return false;
        for (var i = 0; i < value.Length; i++)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out _, out var used) != System.Buffers.OperationStatus.Done) return false;
            i += used - 1;
        }
        return true;
    }
}

internal sealed class UnsafeTextGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!TextSafety.IsStorable(request.Path.Value ?? "") || request.Query.Any(q => !TextSafety.IsStorable(q.Key) || q.Value.Any(v => v is not null && !TextSafety.IsStorable(v))))
            return ApiErrors.Write(context, ApiError.BadRequest("The path or query contains NUL or invalid Unicode characters"));
        return next(context);
    }
}
