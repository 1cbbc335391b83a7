using System.Text.Json;
using SupportTicket.TrustedBackend;
using SupportTicket.TrustedBackend.Auth;
using SupportTicket.TrustedBackend.Tokens;
using SupportTicket.TrustedBackend.Users;
using SupportTicket.TrustedBackend.Widget;
using Microsoft.Extensions.Options;

// The customer's own backend: owns users, mints ticket-server tokens, serves the widget.
var builder = WebApplication.CreateBuilder(args);
builder.AddBackendOptions();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<UserStore>();
builder.Services.AddSingleton<SessionStore>();
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddAuthRateLimits();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
if (app.Services.GetRequiredService<IOptions<BackendOptions>>().Value.SeedDemoUsers)
{
    app.Services.GetRequiredService<UserStore>().SeedDemoUsers();
}

app.UseRateLimiter();
app.UseWidgetFiles();
app.MapAuth();
app.MapWidgetConfig();
app.Run();
