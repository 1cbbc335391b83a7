extern alias fake;
using fake::SupportTicket.FakeDiscord.Http;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Buttons and commands are acknowledged within Discord's 3 s whatever else the bot is doing (#24.7).</summary>
public sealed class DiscordInteractionTests
{
    private const string HistoryRoute = "GET /channels/{channel_id}/messages";

    [Fact]
    public async Task A_button_clicked_during_a_slow_backfill_is_acknowledged_in_time_and_done()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        await bot.StopAppAsync();
        await bot.Fake.PostUserMessageAsync(channel, Agent, "typed while the bot was away", [SupportRole]);
        // The backfill's history read takes 6 s: longer than Discord waits for an interaction's first answer.
        bot.Fake.InjectFault(new Fault(FaultKind.Slow, HistoryRoute, RetryAfter: 6));
        var readsBefore = bot.Fake.RequestsTo(HistoryRoute).Count;

        await bot.StartAgainAsync();
        customer = bot.App.ClientFor(Unique.Admin());
        await bot.WaitUntilAsync(() => bot.Fake.RequestsTo(HistoryRoute).Count > readsBefore, "the backfill's history read");
        var interaction = await bot.Fake.CreateInteractionAsync(channel, Agent, [SupportRole], customId: "st:claim:" + ticketId);

        // The fake answers a first callback later than 3 s with 10062 and does not count it.
        await bot.WaitUntilAsync(() => interaction.Callbacks > 0, "the acknowledgement", TimeSpan.FromSeconds(10));
        await bot.WaitForTicketAsync(customer, ticketId, t => t.Str("status") == "IN_PROGRESS");
        await bot.WaitForMessagesAsync(customer, ticketId, 1); // the backfill still finishes
    }
}
