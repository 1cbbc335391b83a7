using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Discord;

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
