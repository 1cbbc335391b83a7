using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>An SLA breach is posted in the ticket's channel, mentioning the level's staff role and nobody else.</summary>
public sealed class DiscordSlaTests : IAsyncLifetime
{
    private DiscordBotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await DiscordBotHarness.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Sla:Levels:NORMAL:FirstResponseMinutes"] = "600",
        ["Discord:Levels:NORMAL:RoleId"] = DiscordBotHarness.SupportRole.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task A_breach_mentions_the_levels_role_in_the_ticket_channel()
    {
        var ticketId = (await _bot.App.ClientFor(Unique.Customer()).CreateTicket()).Str("id");
        var channel = await _bot.WaitForChannelAsync(ticketId);
        using (var scope = _bot.App.Services.CreateScope())
        {
            // Due a second ago on the real clock, so the round acts on it now.
            var due = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.Where(t => t.Id == ticketId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseDueAt, due));
        }

        await _bot.App.Services.GetRequiredService<TimerService>().RoundAsync(CancellationToken.None);

        var mention = $"<@&{DiscordBotHarness.SupportRole}>";
        await _bot.WaitUntilAsync(() => _bot.Fake.Store.MessagesIn(channel).Any(m => ((string?)m["content"])?.StartsWith(mention) == true), "the SLA notice");
        var notice = _bot.Fake.Store.MessagesIn(channel).Single(m => ((string?)m["content"])?.Contains("SLA missed") == true);
        Assert.Contains("SLA missed", (string)notice["content"]!);
    }

    [Fact]
    public void The_notice_allows_only_that_role_to_be_mentioned()
    {
        var json = JsonSerializer.Serialize(new CreateMessageRequest { Content = "x", AllowedMentions = AllowedMentions.OnlyRole(42) },
            SupportTicket.Discord.Json.DiscordJson.Options);
        Assert.Contains("\"allowed_mentions\":{\"parse\":[],\"roles\":[\"42\"]}", json);
    }
}
