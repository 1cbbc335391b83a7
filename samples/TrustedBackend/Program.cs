using System.Text.Json;
using SupportTicket.TrustedBackend;
using SupportTicket.TrustedBackend.Auth;
using SupportTicket.TrustedBackend.Tokens;
using SupportTicket.TrustedBackend.Users;
using SupportTicket.TrustedBackend.Webhooks;
using SupportTicket.TrustedBackend.Widget;
using Microsoft.Extensions.Options;

// The customer's own backend: owns users, mints ticket-server tokens, serves the widget.
var builder = WebApplication.CreateBuilder(args);
builder.AddBackendOptions();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<UserStore>();
builder.Services.AddSingleton<SessionStore>();
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<WebhookInbox>();
builder.Services.AddAuthRateLimits();
builder.Services.AddKnownProxies();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
if (app.Services.GetRequiredService<IOptions<BackendOptions>>().Value.SeedDemoUsers)
{
    app.Services.GetRequiredService<UserStore>().SeedDemoUsers();
}

// First, so the rate limiter sees the real client and cookies know the request came over TLS. Only with proxies
// named: with none, the middleware would believe every client's headers.
if (ForwardedHeadersSetup.Parse(app.Services.GetRequiredService<IOptions<BackendOptions>>().Value.KnownProxies) is { Count: > 0 })
{
    app.UseForwardedHeaders();
}
app.UseRateLimiter();
app.UseWidgetFiles();
app.MapAuth();
app.MapWidgetConfig();
app.MapWebhookInbox(app.Configuration["WEBHOOK_SECRET"]);
app.Run();
