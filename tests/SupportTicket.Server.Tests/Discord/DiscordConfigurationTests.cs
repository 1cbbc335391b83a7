using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>The bot is off without a token, and a token with incomplete settings stops startup with one line.</summary>
public sealed class DiscordConfigurationTests
{
    private static readonly Dictionary<string, string> Complete = new()
    {
        ["JWT_SECRET_KEY"] = Tokens.Secret, ["DISCORD_BOT_TOKEN"] = "token", ["GUILD_ID"] = "1", ["GENERAL_TICKET_CATEGORY_ID"] = "2",
        ["URGENT_TICKET_CATEGORY_ID"] = "3", ["CRITICAL_TICKET_CATEGORY_ID"] = "4", ["TRANSCRIPT_CHANNEL_ID"] = "5", ["SUPPORT_TEAM_ROLE_ID"] = "6",
    };

    private static async Task AssertRefuses(string removed, string? replacement, string setting)
    {
        var environment = new Dictionary<string, string>(Complete);
        if (replacement is null) environment.Remove(removed); else environment[removed] = replacement;
        await ServerProcess.AssertRefusesAsync(environment, setting);
    }

    [Fact]
    public Task Token_without_a_guild_id_refuses_to_start() => AssertRefuses("GUILD_ID", null, "GUILD_ID");

    [Fact]
    public Task Token_without_a_transcript_channel_refuses_to_start() => AssertRefuses("TRANSCRIPT_CHANNEL_ID", null, "TRANSCRIPT_CHANNEL_ID");

    [Fact]
    public Task A_category_id_that_is_not_a_number_refuses_to_start() =>
        AssertRefuses("URGENT_TICKET_CATEGORY_ID", "urgent", "URGENT_TICKET_CATEGORY_ID");

    [Fact]
    public Task Token_without_any_support_role_refuses_to_start() => AssertRefuses("SUPPORT_TEAM_ROLE_ID", null, "ROLE_ID");

    [Fact]
    public Task A_role_for_an_unknown_issue_level_refuses_to_start() =>
        AssertRefuses("Discord__Levels__SOON__RoleId", "7", "Discord:Levels:SOON");

    [Fact]
    public Task A_level_role_that_is_not_a_number_refuses_to_start() =>
        AssertRefuses("Discord__Levels__URGENT__RoleId", "urgent-team", "Discord:Levels:URGENT:RoleId");

    [Fact]
    public Task A_log_channel_that_is_not_a_number_refuses_to_start() =>
        AssertRefuses("Discord__LogChannelId", "#log", "Discord:LogChannelId");

    [Fact]
    public async Task Without_a_token_the_bot_is_off_and_writes_no_outbox_rows()
    {
        using var app = new TestApp();
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        await customer.PostMessage(ticketId, "hello");
        await customer.PostJson($"/api/v1/tickets/{ticketId}/close", new { });

        Assert.Null(app.Services.GetService<DiscordBotState>());
        using var scope = app.Services.CreateScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Outbox.CountAsync());
        var status = await (await app.ClientFor(Unique.Admin()).GetAsync("/api/v1/admin/discord")).Body();
        Assert.False(status.GetProperty("enabled").GetBoolean());
    }
}
