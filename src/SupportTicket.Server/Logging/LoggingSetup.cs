using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SupportTicket.Server.Hosting;

namespace SupportTicket.Server.Logging;

// Serilog for the whole host: readable lines in development, compact JSON lines in production, LOG_LEVEL as the
// minimum, and the Discord error sinks when their webhook URLs are set. One logger per host (not the static
// Log.Logger), so test hosts in one process do not write into each other's sinks.
internal static class LoggingSetup
{
    public static WebApplicationBuilder ConfigureLogging(this WebApplicationBuilder builder)
    {
        var level = LogLevel(builder.Configuration["Serilog:MinimumLevel:Default"]);
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<ErrorWebhookOptions>().BindConfiguration(ErrorWebhookOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ErrorWebhookOptions>, ErrorWebhookOptionsValidator>();

        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
                // HttpClient logs request URLs; a webhook URL carries its token in the path.
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .Enrich.FromLogContext();
            if (production)
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            // The logger is built with the container (before ValidateOnStart runs), so a bad URL fails here, same line.
            DiscordErrorLog.AddSinks(logger, services.GetRequiredService<IOptions<ErrorWebhookOptions>>().Value);
        }, preserveStaticLogger: true);
        CachedLoggerFactory.Decorate(builder.Services);
        return builder;
    }

    private static LogEventLevel LogLevel(string? value) =>
        string.IsNullOrWhiteSpace(value) ? LogEventLevel.Information
        : Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level) ? level
        : throw new ConfigurationException("LOG_LEVEL must be one of Verbose, Debug, Information, Warning, Error, Fatal");
}
