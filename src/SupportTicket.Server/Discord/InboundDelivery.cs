using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

// Relays one recorded Discord message into its ticket through MessageService, and records the outcome: relayed; refused
// by the ticket server (final, the agent is told why); or failed, retried with backoff and, after the last attempt,
// told as well. Safe to run twice: the post is idempotent by the Discord message id.
public sealed class InboundDelivery(
    AppDbContext db, MessageService messages, AttachmentRehost attachments, InboundNotices notices, TimeProvider clock,
    IOptions<DiscordBotOptions> options, ILogger<InboundDelivery> logger)
{
    private readonly DiscordBotOptions _options = options.Value;

    public async Task DeliverAsync(InboundMessage row, CancellationToken ct)
    {
        if (row.State == InboundStates.Pending)
        {
            try
            {
                var refusal = await RelayAsync(row, ct);
                row.State = refusal is null ? InboundStates.Relayed : InboundStates.Refused;
                row.LastError = refusal;
                if (refusal is not null)
                    logger.LogInformation("Discord message {DiscordMessageId} in ticket {TicketId} refused: {Error}", row.DiscordMessageId, row.TicketId, refusal);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear(); // nothing half-done of this attempt is saved with the outcome
                row.Attempts++;
                row.LastError = e.Message;
                var last = row.Attempts >= _options.InboundMaxAttempts;
                if (last) row.State = InboundStates.Failed;
                else row.NextAttemptAt = Later(row.Attempts);
                logger.LogWarning(e, "Relaying Discord message {DiscordMessageId} into ticket {TicketId} failed (attempt {Attempt}{Final})",
                    row.DiscordMessageId, row.TicketId, row.Attempts, last ? ", the last" : "");
            }
            await SaveAsync(row, ct);
        }
        if (row.State is InboundStates.Refused or InboundStates.Failed && !row.NoticeSent)
        {
            row.NoticeSent = await notices.TellAsync(row, ct);
            if (!row.NoticeSent) row.NextAttemptAt = Later(1);
            await SaveAsync(row, ct);
        }
    }

    private async Task<string?> RelayAsync(InboundMessage row, CancellationToken ct)
    {
        var m = JsonSerializer.Deserialize<DiscordMessage>(row.Payload, DiscordJson.Options)!;
        // Already relayed (an earlier attempt got through before its outcome was saved): don't download again.
        if (await db.Messages.AnyAsync(x => x.ExternalId == row.DiscordMessageId && x.Source == MessageSource.Discord, ct)) return null;
        var (content, note) = InboundText.Parse(m.Content ?? "", row.ChannelId != await ChannelOfTicketAsync(row.TicketId, ct), _options);
        var (links, fileIds, skipped) = await attachments.RehostAsync(row.TicketId, m.Attachments, keepTrying: row.Attempts + 1 < _options.InboundMaxAttempts, ct);
        if (skipped.Count > 0) content = $"{content}\n{InboundText.NotKept(skipped)}".Trim();
        if (content.Length == 0 && links.Count == 0) return null;
        if (content.Length == 0) content = "📎";
        var user = DiscordMembers.AsUser(m.Author!, m.Member, _options);
        var posted = await messages.PostAsync(user, row.TicketId, new PostMessageRequest(content, links, note),
            idempotencyKey: InboundRelay.Key(m.Id), source: MessageSource.Discord, externalId: row.DiscordMessageId, ct: ct);
        // A replay or a refusal leaves the files just stored linked from nowhere: they go at once.
        await attachments.LinkAsync(fileIds, posted.Ok && !posted.Value.Replayed ? posted.Value.Message.Id : null, ct);
        if (!posted.Ok) return Transient(posted.Error) ? throw new InvalidOperationException(posted.Error.Message) : Describe(posted.Error);
        if (!await db.MirroredMessages.AnyAsync(x => x.MessageId == posted.Value.Message.Id, ct))
        {
            // Recorded as its own mirror, so a delete through the API removes it in Discord too.
            db.MirroredMessages.Add(new MirroredMessage
            {
                MessageId = posted.Value.Message.Id, Part = 0, ChannelId = row.ChannelId, DiscordMessageId = row.DiscordMessageId,
            });
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    private async Task<string?> ChannelOfTicketAsync(string ticketId, CancellationToken ct) =>
        await db.TicketChannels.Where(c => c.TicketId == ticketId).Select(c => c.ChannelId).FirstOrDefaultAsync(ct);

    private static bool Transient(ApiError error) => error.Status is 429 or >= 500;

    private static string Describe(ApiError error) =>
        error.Errors is { Count: > 0 } fields ? string.Join("; ", fields.Select(f => f.Message)) : error.Message;

    private long Later(int attempts) => clock.GetUtcNow().ToUnixTimeMilliseconds()
        + (long)OutboxFailure.Backoff(attempts, TimeSpan.FromMilliseconds(_options.RetryBaseMs), TimeSpan.FromMilliseconds(_options.RetryMaxMs)).TotalMilliseconds;

    private async Task SaveAsync(InboundMessage row, CancellationToken ct) =>
        await db.InboundMessages.Where(x => x.DiscordMessageId == row.DiscordMessageId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, row.State).SetProperty(x => x.Attempts, row.Attempts).SetProperty(x => x.LastError, row.LastError)
            .SetProperty(x => x.NextAttemptAt, row.NextAttemptAt).SetProperty(x => x.NoticeSent, row.NoticeSent), ct);
}

public static class InboundText
{
    public const string NotKeptPrefix = "(attachment not kept: ";

    public static (string Content, bool Note) Parse(string content, bool inThread, DiscordBotOptions options)
    {
        var text = content.Trim();
        if (options.NotePrefix.Trim() is { Length: > 0 } prefix && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return (text[prefix.Length..].Trim(), true);
        return (text, inThread);
    }

    public static string NotKept(IEnumerable<string> names) => $"{NotKeptPrefix}{string.Join(", ", names)})";
}
