using SupportTicket.Discord.Helpers;

namespace SupportTicket.Discord.Tests.Helpers;

public sealed class MessageSplitterTests
{
    [Fact]
    public void Text_over_2000_characters_is_split_into_chunks_that_rejoin_to_the_original()
    {
        var text = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"word{i}"));

        var chunks = MessageSplitter.Split(text);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
        Assert.Equal(text, string.Concat(chunks));
    }

    [Fact]
    public void Split_prefers_line_breaks()
    {
        var text = new string('a', 1500) + "\n" + new string('b', 1000);

        var chunks = MessageSplitter.Split(text);

        Assert.Equal(new string('a', 1500) + "\n", chunks[0]);
    }

    [Fact]
    public void Split_never_cuts_a_surrogate_pair()
    {
        var text = new string('a', 1999) + "😀" + "tail";

        var chunks = MessageSplitter.Split(text);

        Assert.Equal(1999, chunks[0].Length);
        Assert.StartsWith("😀", chunks[1]);
    }

    [Fact]
    public void Short_text_is_one_chunk() => Assert.Equal(["hello"], MessageSplitter.Split("hello"));
}

public sealed class ChannelNameTests
{
    [Theory]
    [InlineData(42, "Printer is on FIRE!!", "ticket-42-printer-is-on-fire")]
    [InlineData(7, "Café   crème", "ticket-7-cafe-creme")]
    [InlineData(8, "@everyone <#1>", "ticket-8-everyone-1")]
    [InlineData(9, "", "ticket-9")]
    [InlineData(10, "???", "ticket-10")]
    public void Ticket_channel_names_use_only_lowercase_letters_digits_and_dashes(long id, string subject, string expected) =>
        Assert.Equal(expected, ChannelNames.ForTicket(id, subject));

    [Fact]
    public void Ticket_channel_names_fit_in_100_characters() =>
        Assert.InRange(ChannelNames.ForTicket(123456, new string('x', 500)).Length, 1, 100);
}

public sealed class OverwriteTests
{
    [Fact]
    public void Open_ticket_overwrites_hide_the_channel_and_allow_support_and_bot()
    {
        var overwrites = TicketOverwrites.ForOpenTicket(guildId: 1, botUserId: 2, supportRoleIds: [3, 4]);

        Assert.Equal(new Models.PermissionOverwrite(1, 0, 0, 1024), overwrites[0]);
        Assert.Equal(101376UL, overwrites[1].Allow);
        Assert.Equal(0, overwrites[1].Type);
        Assert.Equal(new Models.PermissionOverwrite(2, 1, 536996864, 0), overwrites[^1]);
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

public sealed class MentionTests
{
    [Theory]
    [InlineData("hi @everyone", "hi @\u200Beveryone")]
    [InlineData("@here now", "@\u200Bhere now")]
    [InlineData("ping <@123> and <@!456> and <@&789>", "ping <\u200B@123> and <\u200B@!456> and <\u200B@&789>")]
    [InlineData("mail me at a@b.com", "mail me at a@b.com")]
    public void Mentions_are_defused_with_a_zero_width_space(string input, string expected) =>
        Assert.Equal(expected, Mentions.Neutralize(input));
}

public sealed class WebhookNameTests
{
    [Theory]
    [InlineData("Discord Fan", "D_iscord Fan")]
    [InlineData("clyde", "c_lyde")]
    [InlineData("   ", "Customer")]
    [InlineData("Ann   Smith", "Ann Smith")]
    public void Webhook_usernames_never_contain_forbidden_words_and_are_never_empty(string input, string expected) =>
        Assert.Equal(expected, WebhookNames.Sanitize(input));

    [Fact]
    public void Webhook_usernames_are_at_most_80_characters() =>
        Assert.Equal(80, WebhookNames.Sanitize(new string('a', 200)).Length);
}
