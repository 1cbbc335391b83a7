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
    [InlineData("Printer is on FIRE!!", "printer-is-on-fire")]
    [InlineData("Café   crème", "cafe-creme")]
    [InlineData("@everyone <#1>", "everyone-1")]
    [InlineData("???", "")]
    public void Slugs_use_only_lowercase_letters_digits_and_dashes(string text, string expected) =>
        Assert.Equal(expected, ChannelNames.Slug(text));
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

    [Theory]
    [InlineData("Sam (admin)\u2800\u2800\u2800", "Sam (admin)")]
    [InlineData("a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF", "abcde")]
    [InlineData("\u202Eevil\u202C \u2066x\u2069 \u061Cy", "evil x y")]
    [InlineData("\u3164\u115F", "")]
    [InlineData("Zoë 🙂", "Zoë 🙂")]
    public void Display_names_lose_invisible_and_direction_changing_characters(string input, string expected) =>
        Assert.Equal(expected, DisplayNames.Clean(input));

    [Fact]
    public void A_labeled_webhook_name_cuts_the_name_and_keeps_the_label_whole()
    {
        var name = WebhookNames.Labeled(new string('x', 100), "customer");
        Assert.Equal(80, name.Length);
        Assert.EndsWith("x (customer)", name);
        Assert.Equal("Customer (customer)", WebhookNames.Labeled("\u2800", "customer"));
    }
}
