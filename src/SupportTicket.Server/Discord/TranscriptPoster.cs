using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;
using static SupportTicket.Server.Discord.ChannelKeeper;

using EditMessageRequest = SupportTicket.Discord.Models.EditMessageRequest;

namespace SupportTicket.Server.Discord;

/// <summary>
/// The transcript in Discord:TranscriptChannelId: posted on close, its first page's message id kept on the ticket's
/// link. A rating comes after the close, so it is added to that message by an edit (the HTML file stays as it was
/// closed); a transcript posted after the rating carries it from the start, and the edit then changes nothing.
/// </summary>
public sealed class TranscriptPoster(
    AppDbContext db, DiscordRestClient rest, MirrorLookup lookup, TranscriptImages images, IOptions<DiscordBotOptions> options, ILogger<TranscriptPoster> logger)
{
    public async Task PostAsync(Ticket ticket, TicketChannel link, Outbox.OutboxRow row, CancellationToken ct)
    {
        if (options.Value.Transcript is not { } channel) return;
        var messages = await db.Messages.Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Seq).ToListAsync(ct);
        var pages = TranscriptBuilder.Build(ticket, messages, thumbnails: await images.ThumbnailsAsync(ticket.Id, ct));
        var head = Head(ticket, messages.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            var name = pages.Count == 1 ? $"transcript-{ticket.Number}.html" : $"transcript-{ticket.Number}-part{i + 1}.html";
            // The nonce covers a quick retry; one after the nonce window looks for the page among the channel's newest
            // first (by its head: a rating may have arrived since the first try).
            var posted = lookup.BeyondNonceWindow(row)
                ? await lookup.BotPostAsync(Text(channel), m => MirrorLookup.Normalize(m.Content).StartsWith(MirrorLookup.Normalize(head), StringComparison.Ordinal)
                    && m.Attachments?.Any(a => a.Filename == name) == true, ct)
                : null;
            posted ??= await rest.UploadFilesAsync(channel,
                new CreateMessageRequest { Content = Content(ticket, head), Nonce = Nonce(row.Id, $"t{i}") },
                [new FileUpload(name, Encoding.UTF8.GetBytes(pages[i]), "text/html")], ct);
            if (i > 0) continue;
            link.TranscriptMessageId = Text(posted.Id);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>The rating, added to the transcript's message; a line of its own when that message is unknown or gone.</summary>
    public async Task AddRatingAsync(Ticket ticket, TicketChannel link, Outbox.OutboxRow row, CancellationToken ct)
    {
        if (options.Value.Transcript is not { } channel || ticket.RatingScore is not { } score) return;
        try
        {
            await AddRatingAsync(ticket, link, row, channel, score, ct);
        }
        catch (DiscordRestException e) when (e.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            // Like a log line, not worth parking the row for (the log channel's line follows); the operator sees this.
            logger.LogWarning("Discord:TranscriptChannelId {ChannelId} refused the rating of ticket {TicketId} ({Code})", channel, ticket.Id, e.Code);
        }
    }

    private async Task AddRatingAsync(Ticket ticket, TicketChannel link, Outbox.OutboxRow row, ulong channel, int score, CancellationToken ct)
    {
        if (link.TranscriptMessageId is { } id)
        {
            var count = await db.Messages.CountAsync(m => m.TicketId == ticket.Id, ct);
            try
            {
                await rest.EditMessageAsync(channel, Snowflake(id), new EditMessageRequest { Content = Content(ticket, Head(ticket, count)) }, ct);
                return;
            }
            catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMessage)
            {
                // Deleted by hand: the rating still gets its line.
            }
        }
        var line = $"⭐ Ticket #{ticket.Number} \"{TicketCards.Name(ticket.Topic, 200)}\" rated {TicketCards.Rating(score, ticket.RatingComment)}";
        if (lookup.BeyondNonceWindow(row) && await lookup.BotPostAsync(Text(channel), m => MirrorLookup.SameContent(m.Content, line), ct) is not null) return;
        await rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = TicketCards.Clip(line, 2000), Nonce = Nonce(row.Id, "tr") }, ct);
    }

    private static string Head(Ticket ticket, int count) => SupportTicket.Discord.Helpers.Mentions.Neutralize(
        $"Transcript of ticket #{ticket.Number} \"{TicketCards.Clip(ticket.Topic, 200)}\" ({ticket.Username}), {count} message(s)" +
        (ticket.CloseReason is { Length: > 0 } r ? $", closed: {TicketCards.Clip(r, 300)}" : ""));

    private static string Content(Ticket ticket, string head) => TicketCards.Clip(
        ticket.RatingScore is { } score ? $"{head}\nRated {TicketCards.Rating(score, ticket.RatingComment)}" : head, 2000);
}
