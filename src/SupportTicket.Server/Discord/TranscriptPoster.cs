using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

public sealed class TranscriptPoster(AppDbContext db, DiscordRestClient rest, MirrorLookup lookup, TranscriptImages images, IOptions<DiscordBotOptions> options)
{
    public async Task PostAsync(Ticket ticket, Outbox.OutboxRow row, CancellationToken ct)
    {
        if (options.Value.Transcript is not { } channel) return;
        var messages = await db.Messages.Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Seq).ToListAsync(ct);
        var pages = TranscriptBuilder.Build(ticket, messages, thumbnails: await images.ThumbnailsAsync(ticket.Id, ct));
        for (var i = 0; i < pages.Count; i++)
        {
            var name = pages.Count == 1 ? $"transcript-{ticket.Number}.html" : $"transcript-{ticket.Number}-part{i + 1}.html";
            var summary = $"Transcript of ticket #{ticket.Number} \"{TicketCards.Clip(ticket.Topic, 200)}\" ({ticket.Username}), {messages.Count} message(s)" +
                (ticket.CloseReason is { Length: > 0 } r ? $", closed: {TicketCards.Clip(r, 300)}" : "");
            var content = SupportTicket.Discord.Helpers.Mentions.Neutralize(summary);
            // The nonce covers a quick retry; one after the nonce window looks for the page among the channel's newest first.
            if (lookup.BeyondNonceWindow(row) && await lookup.BotPostAsync(ChannelKeeper.Text(channel),
                    m => MirrorLookup.SameContent(m.Content, content) && m.Attachments?.Any(a => a.Filename == name) == true, ct) is not null)
                continue;
            await rest.UploadFilesAsync(channel,
                new CreateMessageRequest { Content = content, Nonce = ChannelKeeper.Nonce(row.Id, $"t{i}") },
                [new FileUpload(name, Encoding.UTF8.GetBytes(pages[i]), "text/html")], ct);
        }
    }
}
