using System.Text.Json;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Discord;

public sealed class TranscriptBuilderTests
{
    private const string A = "0123456789abcdef0123456789abcdef", B = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void Thumbnails_beyond_the_pages_budget_stay_links_and_only_image_data_uris_are_embedded()
    {
        var thumbnails = new Dictionary<string, string>
        {
            [A] = "data:image/png;base64," + new string('A', 600),
            [B] = "data:text/html;base64,PHNjcmlwdD4=",
        };
        var messages = new List<Message> { Message(1, A), Message(2, A), Message(3, B) };

        var page = Assert.Single(TranscriptBuilder.Build(new Ticket { Id = "t1", Topic = "x" }, messages, thumbnails: thumbnails, maxEmbeddedBytes: 1000));

        Assert.Equal(1, Count(page, "<img "));
        Assert.Equal(3, Count(page, "<a href=\"https://tickets.example.com/api/v1/attachments/"));
        Assert.DoesNotContain("text/html", page);
    }

    [Fact]
    public void A_new_page_gets_a_fresh_budget()
    {
        var thumbnails = new Dictionary<string, string> { [A] = "data:image/png;base64," + new string('A', 600) };
        var messages = new List<Message> { Message(1, A), Message(2, A) };

        var pages = TranscriptBuilder.Build(new Ticket { Id = "t1", Topic = "x" }, messages, maxBytes: 16_384 + 1200, thumbnails: thumbnails, maxEmbeddedBytes: 1000);

        Assert.Equal(2, pages.Count);
        Assert.All(pages, p => Assert.Equal(1, Count(p, "<img ")));
    }

    private static Message Message(long seq, string attachment) => new()
    {
        Id = $"m{seq}", TicketId = "t1", Seq = seq, AuthorName = "ivy", AuthorRole = "customer", Content = "look",
        Attachments = JsonSerializer.Serialize(new[] { $"https://tickets.example.com/api/v1/attachments/{attachment}/screen.png" }),
    };

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
