using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Events;
using SupportTicket.Server.Idempotency;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

public sealed class MessageService(
    AppDbContext db, TicketService tickets, MessageBatcher writer, WriteGate gate, ITicketEventBus bus, TimeProvider clock,
    IdempotencyKeys idempotency, OutboxWriter outbox, EventWriter events, Lifecycle.TicketTimers timers)
{
    public const int DefaultPage = 100;
    public const int MaxPage = 500;

    public async Task<Result<(MessageDto Message, bool Replayed)>> PostAsync(
        CurrentUser user, string ticketId, PostMessageRequest request, string? idempotencyKey,
        string source = MessageSource.Web, string? externalId = null, CancellationToken ct = default, string? baseUrl = null, bool system = false)
    {
        if (IdempotencyKeys.Validate(idempotencyKey) is { } badKey) return badKey;
        var built = MessageRules.Create(request, user);
        if (!built.Ok) return built.Error;
        var message = built.Value;
        if (idempotencyKey is not null && await ReplayAsync(user, ticketId, idempotencyKey, message, ct) is { } replay) return replay;
        var uploads = await UploadedFiles.ResolveAsync(db, user, ticketId, request.Attachments, baseUrl, ct);
        if (!uploads.Ok) return uploads.Error;
        if (uploads.Value.Links is { } links) message.Attachments = System.Text.Json.JsonSerializer.Serialize(links);

        message.Id = Ids.New();
        message.TicketId = ticketId;
        message.CreatedAt = message.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        message.Source = source;
        message.ExternalId = externalId;
        message.IdempotencyKey = idempotencyKey;
        // The write itself checks visibility and that the ticket is open, so the common case is one round trip;
        // only a refused post pays a second query to say why (404 for a foreign ticket, 409 for a closed one).
        Ticket? ticket;
        try
        {
            // A reply relayed from Discord is there already: no outbox row for it.
            var post = new PostWrite(message, user.IsStaff, outbox.Enabled && !user.ViaDiscord, EventWriter.NewId(), events.MessageTemplate(message),
                system ? null : timers.ForMessage(message.CreatedAt));
            ticket = await writer.WriteAsync(post, committed =>
            {
                message.Seq = committed.LastSeq;
                message.PublicSeq = committed.LastPublicSeq;
                bus.Publish(new TicketEvent(EventNames.Message, committed.ToFullDto(), message.ToFullDto()));
            }, ct);
        }
        catch (Exception e) when (idempotencyKey is not null && Sql.IsUniqueViolation(e))
        {
            return await ReplayAsync(user, ticketId, idempotencyKey, message, ct) ?? throw new InvalidOperationException("Idempotency race lost twice", e);
        }
        if (ticket is null)
        {
            var found = await tickets.FindVisibleAsync(user, ticketId, ct);
            return found.Ok ? TicketAccess.Closed(ticketId) : found.Error;
        }
        await UploadedFiles.LinkAsync(db, uploads.Value.Ids, message.Id, ct);
        outbox.Wake();
        // Rare (only a ticket set to wait on its customer), so the status change is its own write with its own event.
        if (ticket.Status == TicketStatus.Waiting && !user.IsStaff) await tickets.CustomerAnsweredAsync(user, ticketId, ct);
        return (message.ToDto(user), false);
    }

    public async Task<Result<(List<MessageDto> Page, bool More)>> ListAsync(
        CurrentUser user, string ticketId, long afterSeq, int limit, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return found.Error;
        var query = MessageRules.After(db.Messages.Where(m => m.TicketId == ticketId), user, afterSeq);
        var rows = await query.Take(limit + 1).ToListAsync(ct);
        return (rows.Take(limit).Select(m => m.ToDto(user)).ToList(), rows.Count > limit);
    }

    public async Task<Result<MessageDto>> EditAsync(CurrentUser user, string ticketId, string messageId, EditMessageRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var content = FieldRules.Text(errors, "content", request.Content, MessageRules.ContentMax);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        using var _ = await gate.EnterAsync(ticketId, ct);
        var found = await FindAsync(user, ticketId, messageId, ct);
        if (!found.Ok) return found.Error;
        var (ticket, message) = found.Value;
        if (message.AuthorId != user.Id) return ApiError.Forbidden("Only the author may edit a message");
        if (TicketAccess.IsClosed(ticket)) return TicketAccess.Closed(ticketId);
        message.Content = content!;
        message.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // An edit relayed from Discord shows there already: no mirror row for it.
            await outbox.AppendAsync(db, EventTypes.MessageUpdated, ticketId, events.Serialize(message.ToFullDto()), ct, mirror: !user.ViaDiscord, messageId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        outbox.Wake();
        bus.Publish(new TicketEvent(EventNames.EditMessage, ticket.ToFullDto(), message.ToFullDto()));
        return message.ToDto(user);
    }

    public async Task<ApiError?> DeleteAsync(CurrentUser user, string ticketId, string messageId, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ticketId, ct);
        var found = await FindAsync(user, ticketId, messageId, ct);
        if (!found.Ok) return found.Error;
        var (ticket, message) = found.Value;
        if (message.AuthorId != user.Id && !user.IsStaff) return ApiError.Forbidden("Only the author or staff may delete a message");
        // Like editing: a closed conversation is final for its authors. Staff may still remove a message (moderation).
        if (!user.IsStaff && TicketAccess.IsClosed(ticket)) return TicketAccess.Closed(ticketId);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await outbox.AppendAsync(db, EventTypes.MessageDeleted, ticketId, events.Serialize(message.ToFullDto()), ct, mirror: !user.ViaDiscord, messageId);
            db.Messages.Remove(message);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        outbox.Wake();
        bus.Publish(new TicketEvent(EventNames.DeleteMessage, ticket.ToFullDto(), message.ToFullDto()));
        return null;
    }

    private async Task<Result<(Ticket, Message)>> FindAsync(CurrentUser user, string ticketId, string messageId, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return found.Error;
        var message = await db.Messages.AsTracking().FirstOrDefaultAsync(m => m.Id == messageId && m.TicketId == ticketId, ct);
        if (message is null || !MessageRules.CanSee(user, message)) return MessageRules.NotFound(messageId);
        return (found.Value, message);
    }

    private async Task<Result<(MessageDto, bool)>?> ReplayAsync(CurrentUser user, string ticketId, string key, Message request, CancellationToken ct)
    {
        var existing = await idempotency.FindAsync(db.Messages, m => m.AuthorId == user.Id, key, ct);
        if (existing is null) return null;
        if (existing.TicketId != ticketId || existing.Content != request.Content || existing.Internal != request.Internal)
            return IdempotencyKeys.Reused();
        return (existing.ToDto(user), true);
    }
}
