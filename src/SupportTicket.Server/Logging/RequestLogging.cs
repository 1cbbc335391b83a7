using Serilog;
using Serilog.Context;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Logging;

// The path is logged without its query string, which may carry an access_token. Every line of the request carries
// the same CorrelationId, so the Discord error embed, the request line and the error body's correlation_id match.
internal static class RequestLogging
{
    public const string CorrelationId = "CorrelationId";

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            using (LogContext.PushProperty(CorrelationId, context.TraceIdentifier))
                await next(context);
        });
        app.UseSerilogRequestLogging(o =>
        {
            // This host's logger: Log.Logger (the default) stays silent, see LoggingSetup.
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms for {UserId} ({CorrelationId})";
            o.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("UserId", context.User.FindFirst(TokenClaims.Id)?.Value ?? "-");
                diagnostics.Set(CorrelationId, context.TraceIdentifier);
                if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
                    diagnostics.Set("Route", route);
            };
        });
        return app;
    }
}
