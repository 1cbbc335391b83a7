extern alias fake;
using fake::SupportTicket.FakeDiscord;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>What the backfill reads after a reconnect passes exactly the rules a live message passes (#23.5).</summary>
public sealed class DiscordBackfillTests
{
    [Fact]
    public async Task A_guild_administrator_without_a_support_role_is_ignored_by_the_backfill_as_live()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        var guildAdmin = new FakeMember(Agent + 42, [700_000_000_000_000_001], Username: "owner");

        await bot.StopAppAsync();
        await bot.Fake.PostUserMessageAsync(channel, guildAdmin, "written by a guild administrator");
        await bot.Fake.PostUserMessageAsync(channel, Agent, "written by an agent", [SupportRole]);
        await bot.StartAgainAsync();
        customer = bot.App.ClientFor(Unique.Admin());

        var messages = await bot.WaitForMessagesAsync(customer, ticketId, 1);
        Assert.Equal(["written by an agent"], messages.Select(m => m.Str("content")));
    }
}
