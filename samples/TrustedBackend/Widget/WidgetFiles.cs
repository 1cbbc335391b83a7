using Microsoft.AspNetCore.StaticFiles;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace SupportTicket.TrustedBackend.Widget;

/// <summary>
/// Serves the widget (samples/widget/public), the SignalR browser bundle from the widget's
/// node_modules, and /config.js so one URL opens the demo. Tickets never pass through here.
/// </summary>
public static class WidgetFiles
{
    public static WebApplication UseWidgetFiles(this WebApplication app)
    {
        var widgetDir = app.Services.GetRequiredService<IOptions<BackendOptions>>().Value.WidgetDir;
        var publicFiles = new PhysicalFileProvider(Path.Combine(widgetDir, "public"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = publicFiles });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = publicFiles, OnPrepareResponse = NoCache });

        var signalRBundle = Path.Combine(widgetDir, "node_modules", "@microsoft", "signalr", "dist", "browser");
        if (Directory.Exists(signalRBundle))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(signalRBundle),
                RequestPath = "/vendor/signalr",
            });
        }
        else
        {
            app.Logger.LogWarning("SignalR bundle missing at {Path}: run `npm ci` in samples/widget", signalRBundle);
        }

        return app;
    }

    public static IEndpointRouteBuilder MapWidgetConfig(this IEndpointRouteBuilder app)
    {
        app.MapGet("/config.js", (IOptions<BackendOptions> options, HttpContext http) =>
        {
            var config = JsonSerializer.Serialize(new { ticketServerUrl = options.Value.TicketServerUrl, maxUploadBytes = options.Value.MaxUploadBytes });
            NoCache(http.Response);
            return Results.Text($"window.SUPPORT_TICKET_CONFIG = {config};\n", "text/javascript");
        });
        return app;
    }

    // The demo is edited live; stale cached scripts would make the widget and its config disagree.
    private static void NoCache(StaticFileResponseContext context) => NoCache(context.Context.Response);

    private static void NoCache(HttpResponse response) => response.Headers.CacheControl = "no-cache";
}
