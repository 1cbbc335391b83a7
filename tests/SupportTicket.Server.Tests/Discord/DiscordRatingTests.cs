using System.Text;
using System.Text.Json.Nodes;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>A rating comes after the close: it is added to the ticket's transcript message in Discord (#28 item 4).</summary>
public sealed class DiscordRatingTests(SqliteDiscordBot fixture) : IClassFixture<SqliteDiscordBot>
{
    private DiscordBotHarness Bot => fixture.Bot;

    private List<JsonObject> Transcripts(long number)
    {
        lock (Bot.Fake.Store.Gate)
            return Bot.Fake.Store.MessagesIn(Bot.TranscriptChannelId).Where(m => ((string?)m["content"])?.Contains($"ticket #{number} ", StringComparison.OrdinalIgnoreCase) == true)
                .Select(m => (JsonObject)m.DeepClone()).ToList();
    }

    private async Task<(HttpClient Customer, string TicketId, long Number)> ClosedTicketAsync()
    {
        var customer = Bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "lea"));
        var ticket = await customer.CreateTicket("Login loop");
        var (id, number) = (ticket.Str("id"), ticket.GetProperty("number").GetInt64());
        await Bot.WaitForChannelAsync(id);
        await Bot.App.ClientFor(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close", new { reason = "cookie cleared" });
        await Bot.WaitUntilAsync(() => Transcripts(number).Count == 1 && Bot.ChannelOf(id) is null, "the transcript and the channel's removal");
        return (customer, id, number);
    }

    [Fact]
    public async Task A_rating_after_the_close_is_added_to_the_transcript_message_by_an_edit()
    {
        var (customer, id, number) = await ClosedTicketAsync();
        var transcript = Transcripts(number).Single();
        Assert.DoesNotContain("Rated", (string)transcript["content"]!);

        Assert.Equal(200, (int)(await customer.PostJson($"/api/v1/tickets/{id}/rating", new { score = 4, comment = "Fast @everyone" })).StatusCode);
        await Bot.WaitUntilAsync(() => ((string?)Transcripts(number).Single()["content"])?.Contains("Rated", StringComparison.Ordinal) == true, "the rating in the transcript");

        var rated = Transcripts(number).Single();
        Assert.Equal((string?)transcript["id"], (string?)rated["id"]);
        var content = (string)rated["content"]!;
        Assert.Contains("closed: cookie cleared", content);
        Assert.Contains("Rated ★★★★☆ (4/5): “Fast", content);
        Assert.DoesNotContain("@everyone", content);
        Assert.Equal($"transcript-{number}.html", (string?)rated["attachments"]![0]!["filename"]);
        var edit = Bot.Fake.Requests.Single(r => r.Route == "PATCH /channels/{channel_id}/messages/{message_id}" && r.Path.EndsWith((string)rated["id"]!, StringComparison.Ordinal));
        Assert.Contains("\"parse\":[]", Encoding.UTF8.GetString(edit.Body));
    }

    [Fact]
    public async Task A_rating_whose_transcript_message_was_deleted_by_hand_gets_a_line_of_its_own()
    {
        var (customer, id, number) = await ClosedTicketAsync();
        await Bot.Fake.DeleteUserMessageAsync(Bot.TranscriptChannelId, ulong.Parse((string)Transcripts(number).Single()["id"]!));

        Assert.Equal(200, (int)(await customer.PostJson($"/api/v1/tickets/{id}/rating", new { score = 2 })).StatusCode);

        await Bot.WaitUntilAsync(() => Transcripts(number).Count == 1, "the rating's line");
        Assert.Contains("rated ★★☆☆☆ (2/5)", (string)Transcripts(number).Single()["content"]!);
    }
}
