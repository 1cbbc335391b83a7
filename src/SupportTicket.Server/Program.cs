using SupportTicket.Server.Attachments;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.BusinessHours;
using SupportTicket.Server.CannedResponses;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Email;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Events;
using SupportTicket.Server.Health;
using SupportTicket.Server.Logging;
using SupportTicket.Server.Hosting;
using SupportTicket.Server.Idempotency;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Metrics;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.ReadReceipts;
using SupportTicket.Server.Realtime;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;
using SupportTicket.Server.Webhooks;

try
{
    var builder = WebApplication.CreateBuilder(HostingExtensions.Options(args));
    builder.ConfigureHosting();
    builder.Services
        .AddStartupChecks()
        .AddClock()
        .AddJson()
        .AddErrorHandling()
        .AddStorage()
        .AddAuth()
        .AddRateLimits()
        .AddTicketEvents()
        .AddEventFeed()
        .AddOutbox()
        .AddWebhooks()
        .AddIdempotency()
        .AddBusinessHours()
        .AddLifecycle()
        .AddTickets()
        .AddMessages()
        .AddReadReceipts()
        .AddEmail(builder.Configuration)
        .AddCannedResponses()
        .AddRealtime()
        .AddCluster(builder.Configuration)
        .AddDiscordBot(builder.Configuration)
        .AddAttachments()
        .AddHealth()
        .AddApiDocs()
        .AddServerMetrics();

    var app = builder.Build();
    if (TokenCommand.IsInvoked(args))
        return TokenCommand.Run(args, app.Services.GetRequiredService<SigningKeys>(), Console.Out, Console.Error);

    app.UseTrustedProxies();
    app.UseSecurityHeaders();
    app.UseRequestLogging();
    app.UseErrorHandling();
    app.UseMetricsEndpoint();
    app.UseCors();
    app.UseAuthFailureLimits();
    app.UseAuthentication();
    app.UseRateLimits();
    app.UseAuthorization();

    app.MapApiDocs();
    app.MapHealth();
    app.MapStatus();
    app.MapTickets();
    app.MapMessages();
    app.MapLifecycle();
    app.MapReadReceipts();
    app.MapEmail();
    app.MapCannedResponses();
    app.MapRevocations();
    app.MapEventFeed();
    app.MapWebhooks();
    app.MapRealtime();
    app.MapDiscordAdmin();
    app.MapOutboxAdmin();
    app.MapEmailAdmin();
    app.MapAttachments();
    app.MapAttachmentUploads();
    app.CheckRatePolicies();

    app.Run();
    return 0;
}
catch (Exception e) when (StartupFailure.Describe(e) is { } reason)
{
    Console.Error.WriteLine($"SupportTicket cannot start: {reason}");
    return 1;
}

// Entry point, visible to WebApplicationFactory in tests.
public partial class Program;
