using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Rest;

public sealed class MessageWireTests
{
    private const string Route = "POST /channels/{channel_id}/messages";

    [Fact]
    public async Task Messages_are_sent_with_an_empty_mention_parse_list_even_when_text_says_everyone()
    {
        await using var h = await Harness.StartAsync();

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "@everyone help" });

        var body = h.Fake.RequestsTo(Route).Single().Json!;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.StartsWith("application/json", h.Fake.RequestsTo(Route).Single().ContentType);
    }

    [Fact]
    public async Task Message_creates_carry_a_nonce_and_enforce_nonce()
    {
        await using var h = await Harness.StartAsync();

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "hi" });

        var body = h.Fake.RequestsTo(Route).Single().Json!;
        Assert.InRange(body["nonce"]!.GetValue<string>().Length, 1, 25);
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Embeds_and_a_close_button_are_sent_and_echoed_back()
    {
        await using var h = await Harness.StartAsync();
        var request = new CreateMessageRequest
        {
            Embeds = [new Embed { Title = "Ticket #1", Description = "Printer", Fields = [new EmbedField("Priority", "High", true)] }],
            Components = [MessageComponent.Row(MessageComponent.Button("Close", "ticket:close:1"))],
        };

        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, request);

        var body = h.Fake.RequestsTo(Route).Single().Json!;
        Assert.Equal("ticket:close:1", body["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
        Assert.Equal(4, body["components"]![0]!["components"]![0]!["style"]!.GetValue<int>());
        Assert.Equal("Ticket #1", Assert.Single(message.Embeds!).Title);
    }

    [Fact]
    public async Task Empty_messages_are_rejected_with_code_50006()
    {
        await using var h = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "" }));

        Assert.Equal(50006, error.Code);
    }

    [Fact]
    public async Task Content_over_2000_characters_is_rejected_with_code_50035()
    {
        await using var h = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = new string('x', 2001) }));

        Assert.Equal(50035, error.Code);
    }

    [Fact]
    public async Task Edits_resend_the_empty_mention_parse_list()
    {
        await using var h = await Harness.StartAsync();
        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        var edited = await h.Rest.EditMessageAsync(message.ChannelId, message.Id, new EditMessageRequest { Content = "b @here" });

        var body = h.Fake.RequestsTo("PATCH /channels/{channel_id}/messages/{message_id}").Single().Json!;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal("b @here", edited.Content);
        Assert.NotNull(edited.EditedTimestamp);
    }

    [Fact]
    public async Task Delete_message_removes_it()
    {
        await using var h = await Harness.StartAsync();
        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        await h.Rest.DeleteMessageAsync(message.ChannelId, message.Id, "cleanup");

        Assert.Empty(h.Fake.Store.MessagesIn(h.Fake.GeneralTextChannelId));
        Assert.Equal(204, h.Fake.RequestsTo("DELETE /channels/{channel_id}/messages/{message_id}").Single().Status);
    }

    [Fact]
    public async Task Upload_sends_payload_json_and_a_named_file_part()
    {
        await using var h = await Harness.StartAsync();
        var html = "<html>transcript</html>"u8.ToArray();

        var message = await h.Rest.UploadFilesAsync(h.Fake.GeneralTextChannelId,
            new CreateMessageRequest { Content = "Transcript" }, [new FileUpload("transcript-123.html", html, "text/html")]);

        var request = h.Fake.RequestsTo(Route).Single();
        Assert.StartsWith("multipart/form-data", request.ContentType);
        Assert.Contains("name=payload_json", request.BodyText);
        Assert.Contains("\"attachments\":[{\"id\":0,\"filename\":\"transcript-123.html\"}]", request.BodyText);
        var upload = Assert.Single(h.Fake.Store.Uploads);
        Assert.Equal(("files[0]", "transcript-123.html"), (upload.FieldName, upload.FileName));
        Assert.Equal(html, upload.Content);
        Assert.Equal("transcript-123.html", Assert.Single(message.Attachments!).Filename);
    }

    [Fact]
    public async Task Upload_over_the_file_size_limit_fails_with_40005()
    {
        await using var h = await Harness.StartAsync(new() { MaxFileSize = 1024 });

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.UploadFilesAsync(h.Fake.GeneralTextChannelId,
            new CreateMessageRequest(), [new FileUpload("big.bin", new byte[2048])]));

        Assert.Equal(40005, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, error.Status);
    }
}
