using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Outbox;

namespace SupportTicket.Server.Tests.Discord;

public sealed class TicketChannelNameTests
{
    [Theory]
    [InlineData(42, "Printer is on FIRE!!", "ticket-42-printer-is-on-fire")]
    [InlineData(7, "Café   crème", "ticket-7-cafe-creme")]
    [InlineData(8, "@everyone <#1>", "ticket-8-everyone-1")]
    [InlineData(9, "", "ticket-9")]
    [InlineData(10, "???", "ticket-10")]
    public void Ticket_channel_names_use_only_lowercase_letters_digits_and_dashes(long id, string subject, string expected) =>
        Assert.Equal(expected, TicketChannelNames.ForTicket(id, subject));

    [Fact]
    public void Ticket_channel_names_fit_in_100_characters() =>
        Assert.InRange(TicketChannelNames.ForTicket(123456, new string('x', 500)).Length, 1, 100);

    [Fact]
    public void The_topic_carries_the_ticket_id_for_the_lookup_before_create() =>
        Assert.Contains(TicketChannelNames.Marker("abc123"), TicketChannelNames.Topic(5, "abc123"));
}

public sealed class TicketOverwriteTests
{
    [Fact]
    public void Open_ticket_overwrites_hide_the_channel_and_allow_support_and_bot()
    {
        var overwrites = TicketOverwrites.ForOpenTicket(guildId: 1, botUserId: 2, supportRoleIds: [3, 4]);

        Assert.Equal(new PermissionOverwrite(1, 0, 0, 1024), overwrites[0]);
        Assert.Equal(101376UL, overwrites[1].Allow);
        Assert.Equal(0, overwrites[1].Type);
        Assert.Equal(new PermissionOverwrite(2, 1, 536996864, 0), overwrites[^1]);
    }

    [Fact]
    public void Support_roles_can_get_embed_links() =>
        Assert.Equal(117760UL, TicketOverwrites.ForOpenTicket(1, 2, [3], allowEmbedLinks: true)[1].Allow);

    [Fact]
    public void Archived_ticket_overwrites_deny_sending()
    {
        var role = TicketOverwrites.ForArchivedTicket(1, 2, [3])[1];

        Assert.Equal(Permissions.SendMessages, role.Deny & Permissions.SendMessages);
    }
}

/// <summary>The error classes of issue #12: what the sender does with each Discord failure.</summary>
public sealed class OutboxFailureTests
{
    private static (OutboxVerdict, TimeSpan) Classify(Exception e, int attempts = 1) =>
        OutboxFailure.Classify(e, attempts, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    [Fact]
    public void Rate_limit_retries_at_its_retry_after() =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromSeconds(42)), Classify(new DiscordRateLimitedException("r", TimeSpan.FromSeconds(42), "user", false)));

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void Server_errors_back_off_exponentially(int status) =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromSeconds(4)), Classify(new DiscordRestException((System.Net.HttpStatusCode)status, 0, "x", "r"), attempts: 3));

    [Fact]
    public void Timeouts_back_off_and_the_backoff_is_capped() =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromMinutes(5)), Classify(new TaskCanceledException(), attempts: 30));

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    public void Refusals_park_the_row(int status) =>
        Assert.Equal(OutboxVerdict.Park, Classify(new DiscordRestException((System.Net.HttpStatusCode)status, 50013, "x", "r")).Item1);

    [Fact]
    public void Unauthorized_stops_everything() =>
        Assert.Equal(OutboxVerdict.Stop, Classify(new DiscordUnauthorizedException("r")).Item1);
}
