using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

/// <summary>
/// The app on a fake clock with SLAs for NORMAL (first response 60 min, next 30 min) and the default auto-close
/// (72 h, warning 24 h before) and close requests (24 h). Tokens are minted on the fake clock's side
/// (<see cref="As"/>), so they stay valid however far a test moves it.
/// </summary>
public class LifecycleApp(Store store = Store.Sqlite, IDictionary<string, string?>? extra = null) : FakeClockApp(Settings(extra), store)
{
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sla:Levels:NORMAL:FirstResponseMinutes"] = "60",
            ["Sla:Levels:NORMAL:NextResponseMinutes"] = "30",
            ["Auth:MaxTokenLifetimeSeconds"] = "31536000",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return settings;
    }

    public HttpClient As(TestUser user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenExpiringIn(user, TimeSpan.FromHours(1)).Token);
        return client;
    }

    /// <summary>One round of the timer service, as the lease holder runs it: acts on everything due now.</summary>
    public Task RoundAsync() => Services.GetRequiredService<TimerService>().RoundAsync(CancellationToken.None);

    public long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    public async Task<JsonElement> TicketAsync(string id, TestUser? viewer = null) =>
        await (await As(viewer ?? Unique.Admin()).GetAsync($"/api/v1/tickets/{id}")).Body();

    public async Task<List<string>> EventTypesAsync(string ticketId)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Events.Where(e => e.TicketId == ticketId).OrderBy(e => e.Seq).Select(e => e.Type).ToListAsync();
    }

    public async Task<List<string>> MessagesAsync(string ticketId)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Messages.Where(m => m.TicketId == ticketId).OrderBy(m => m.Seq).Select(m => m.Content).ToListAsync();
    }
}

public sealed class SqliteLifecycleApp() : LifecycleApp(Store.Sqlite);
