namespace SupportTicket.Server.Hosting;

// Headers that keep a browser from misreading an API answer: no MIME sniffing (a JSON error echoing user text can never
// run as HTML or script), no framing, no referrer. Swagger UI, a page of its own, gets all but the CSP.
internal static class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // When the response starts: the exception handler clears headers before it writes a 500.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // An endpoint that set a CSP of its own (attachments: sandbox) keeps it; it is never looser than this one.
                if (!context.Request.Path.StartsWithSegments("/swagger") && !headers.ContainsKey("Content-Security-Policy"))
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
