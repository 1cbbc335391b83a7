using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Events;
using SupportTicket.Server.Idempotency;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Tickets;

// The one write path for tickets: validate, authorize, write in one transaction, then publish. REST, the hub and the
// Discord bot all come through here.
public sealed class TicketService(
    AppDbContext db, WriteGate gate, ITicketEventBus bus, TimeProvider clock, OpenTicketCap openCap, IdempotencyKeys idempotency,
    OutboxWriter outbox, ITicketCreator creates, EventWriter events, Lifecycle.TicketTimers timers, Email.MailQueue mail)
{
    // Compiled once per EF model (a compiled query is bound to one model, and tests run SQLite and PostgreSQL in one
    // process): every message post and hub subscribe starts with this lookup, and the bench showed EF's per-call
    // expression building, parameter extraction and query-cache lookup as a visible share of a post's CPU.
    private static readonly ConcurrentDictionary<IModel, Func<AppDbContext, string, CancellationToken, Task<Ticket?>>> TicketById = new();

    public async Task<Result<Ticket>> FindVisibleAsync(CurrentUser user, string id, CancellationToken ct)
    {
        var query = TicketById.GetOrAdd(db.Model, static _ =>
            EF.CompileAsyncQuery((AppDbContext db, string id, CancellationToken ct) => db.Tickets.AsTracking().FirstOrDefault(t => t.Id == id)));
        var ticket = await query(db, id, ct);
        return ticket is not null && TicketAccess.CanSee(user, ticket) ? ticket : TicketRules.NotFound(id);
    }

    public async Task<Result<(TicketDto Ticket, bool Replayed)>> CreateAsync(
        CurrentUser user, CreateTicketRequest request, string? idempotencyKey, CancellationToken ct)
    {
        if (IdempotencyKeys.Validate(idempotencyKey) is { } badKey) return badKey;
        var built = TicketRules.Create(request, user);
        if (!built.Ok) return built.Error;
        var ticket = built.Value;
        if (idempotencyKey is not null && await ReplayAsync(user, idempotencyKey, ticket, ct) is { } replay) return replay;

        var now = Now;
        ticket.Id = Ids.New();
        ticket.CreatedAt = ticket.UpdatedAt = ticket.PublicUpdatedAt = now;
        ticket.SlaFirstResponseDueAt = timers.FirstResponseDue(ticket.IssueLevel, now);
        ticket.IdempotencyKey = idempotencyKey;
        ticket.LastEventSeq = 1; // its ticket.created event
        var max = openCap.For(user);
        var outcome = await creates.CreateAsync(new TicketWrite(ticket, max, outbox.Enabled, EventWriter.NewId(), events.TicketTemplate(ticket)),
            created => bus.Publish(new TicketEvent(EventNames.TicketCreated, created.ToFullDto())), ct);
        if (outcome.Ticket is { } stored)
        {
            outbox.Wake();
            return (stored.ToDto(user), false);
        }
        if (outcome == CreateOutcome.CapReached) return OpenTicketCap.Reached(max!.Value);
        // The same key raced us from another request; answer with what that one created.
        return await ReplayAsync(user, idempotencyKey!, ticket, ct) ?? throw new InvalidOperationException("Idempotency key taken, but no ticket has it");
    }

    public async Task<Result<TicketDto>> UpdateAsync(CurrentUser user, string id, System.Text.Json.JsonElement body, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(id, ct);
        var found = await FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        var ticket = found.Value;
        if (TicketAccess.IsClosed(ticket)) return TicketAccess.Closed(id);
        var (level, status) = (ticket.IssueLevel, ticket.Status);
        if (TicketRules.ApplyPatch(body, user, ticket) is { } error) return error;
        var since = level != ticket.IssueLevel ? await Lifecycle.TicketTimers.WaitingSinceAsync(db, id, ct) : null;
        timers.OnChange(ticket, level, status, Now, since);
        return await SaveAndPublishAsync(user, ticket, EventNames.TicketUpdated, OutboxKinds.TicketUpdated, EventTypes.TicketUpdated, ct);
    }

    /// <summary>
    /// The customer answered a ticket that waited on them: it goes back to the agents (OPEN, or IN_PROGRESS when
    /// assigned, as on reopen), claimed on its WAITING status so a concurrent change wins cleanly. Null when it no longer waited.
    /// </summary>
    public Task<TicketDto?> CustomerAnsweredAsync(CurrentUser user, string id, CancellationToken ct) =>
        ChangeClaimedAsync(user, id, EventTypes.TicketUpdated,
            q => q.Where(t => t.Status == TicketStatus.Waiting).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Waiting), ct),
            t =>
            {
                t.Status = TicketRules.ReopenedStatus(t);
                timers.OnChange(t, t.IssueLevel, TicketStatus.Waiting, Now, null);
            }, OutboxKinds.TicketUpdated, ct);

    public async Task<Result<TicketDto>> CloseAsync(CurrentUser user, string id, string? reason, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var cleanReason = FieldRules.Text(errors, "reason", reason, TicketRules.ReasonMax, required: false);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        using var _ = await gate.EnterAsync(id, ct);
        var found = await FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        var ticket = found.Value;
        if (TicketAccess.IsClosed(ticket)) return TicketAccess.Closed(id);
        return await CloseAndPublishAsync(user, ticket, cleanReason, ct);
    }

    /// <summary>
    /// A close decided by a timer or a close-request answer: <paramref name="claim"/> runs first in the close's
    /// transaction (a conditional UPDATE that returns 0 when the ticket no longer qualifies), so a timer that fires on
    /// two nodes or again after a restart closes once. Null when the claim found nothing.
    /// </summary>
    public async Task<TicketDto?> CloseClaimedAsync(
        CurrentUser user, string id, string reason, Func<IQueryable<Ticket>, Task<int>> claim, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await claim(db.Tickets.Where(t => t.Id == id && t.Status != TicketStatus.Closed)) == 0) return null;
        var ticket = await db.Tickets.AsTracking().FirstAsync(t => t.Id == id, ct);
        return await CloseAndPublishAsync(user, ticket, reason, ct, tx);
    }

    private async Task<TicketDto> CloseAndPublishAsync(CurrentUser user, Ticket ticket, string? reason, CancellationToken ct,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? tx = null)
    {
        ticket.Status = TicketStatus.Closed;
        ticket.ClosedAt = Now;
        ticket.CloseReason = reason;
        Lifecycle.TicketTimers.ClearOnClose(ticket);
        // The customer's transcript mail commits with the close (Email/MailQueue.cs).
        var own = tx is null;
        tx ??= await db.Database.BeginTransactionAsync(ct);
        try
        {
            await mail.AddClosedAsync(db, ticket, ct);
            return await SaveAndPublishAsync(user, ticket, EventNames.TicketClosed, OutboxKinds.TicketClosed, EventTypes.TicketClosed, ct, tx);
        }
        finally
        {
            if (own) await tx.DisposeAsync();
        }
    }

    /// <summary>
    /// A lifecycle change (close request, rating, SLA breach, warning): <paramref name="change"/> edits the tracked
    /// ticket inside the transaction; it returns an error to refuse, nothing written. The event type is the caller's.
    /// </summary>
    public async Task<Result<TicketDto>> ChangeAsync(
        CurrentUser user, string id, string eventType, Func<Ticket, ApiError?> change, CancellationToken ct, string? outboxKind = OutboxKinds.TicketUpdated)
    {
        using var _ = await gate.EnterAsync(id, ct);
        var found = await FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        if (change(found.Value) is { } refused) return refused;
        return await SaveAndPublishAsync(user, found.Value, EventNames.TicketUpdated, outboxKind, eventType, ct);
    }

    /// <summary>Like <see cref="CloseClaimedAsync"/>, for a timer that changes the ticket without closing it.</summary>
    public async Task<TicketDto?> ChangeClaimedAsync(CurrentUser user, string id, string eventType,
        Func<IQueryable<Ticket>, Task<int>> claim, Action<Ticket> change, string? outboxKind, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await claim(db.Tickets.Where(t => t.Id == id && t.Status != TicketStatus.Closed)) == 0) return null;
        var ticket = await db.Tickets.AsTracking().FirstAsync(t => t.Id == id, ct);
        change(ticket);
        return await SaveAndPublishAsync(user, ticket, EventNames.TicketUpdated, outboxKind ?? OutboxKinds.TicketUpdated, eventType, ct, tx,
            touch: false);
    }

    public async Task<Result<TicketDto>> ReopenAsync(CurrentUser user, string id, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(id, ct);
        var found = await FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        var ticket = found.Value;
        if (!TicketAccess.IsClosed(ticket)) return ApiError.Conflict($"Ticket {id} is not closed");
        // A reopened ticket takes a slot (and a Discord channel) like a new one: the same cap, counted the same way,
        // in the transaction that reopens it. Staff reopening a customer's ticket are not held to it, as for creates.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (openCap.For(user) is { } max && await OpenTickets.CountAsync(db, ticket.UserId, ct) >= max)
            return OpenTicketCap.Reached(max);
        ticket.Status = TicketRules.ReopenedStatus(ticket);
        ticket.ClosedAt = null;
        ticket.CloseReason = null;
        return await SaveAndPublishAsync(user, ticket, EventNames.TicketUpdated, OutboxKinds.TicketReopened, EventTypes.TicketReopened, ct, tx);
    }

    public async Task<ApiError?> DeleteAsync(CurrentUser user, string id, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(id, ct);
        var found = await FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        if (user.Role != Roles.Admin) return ApiError.Forbidden("Only ADMIN may delete tickets");
        var ticket = found.Value;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Before the row goes: the event's number comes from it, and its data is the ticket's last state.
            await outbox.AppendAsync(db, EventTypes.TicketDeleted, ticket.Id, events.Serialize(ticket.ToFullDto()), ct);
            db.Tickets.Remove(ticket);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        outbox.Wake();
        ticket.Status = TicketStatus.Closed;
        ticket.ClosedAt ??= Now;
        bus.Publish(new TicketEvent(EventNames.TicketClosed, ticket.ToFullDto()));
        return null;
    }

    // One transaction, so the ticket, its event and its outbox row commit together.
    // tx: The write's open transaction (a reopen counts open tickets in it), committed here before the event leaves;
    // null: one is opened here.
    private async Task<TicketDto> SaveAndPublishAsync(
        CurrentUser user, Ticket ticket, string eventName, string? outboxKind, string eventType, CancellationToken ct,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? tx = null, bool touch = true)
    {
        // Every field a ticket write changes is one its customer sees.
        if (touch) ticket.UpdatedAt = ticket.PublicUpdatedAt = Now;
        var dto = ticket.ToFullDto();
        var own = tx is null;
        tx ??= await db.Database.BeginTransactionAsync(ct);
        try
        {
            await outbox.AppendAsync(db, eventType, ticket.Id, events.Serialize(dto), ct, mirror: outboxKind is not null, kind: outboxKind);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            if (own) await tx.DisposeAsync();
        }
        outbox.Wake();
        bus.Publish(new TicketEvent(eventName, dto));
        return dto.For(user);
    }

    private async Task<Result<(TicketDto, bool)>?> ReplayAsync(CurrentUser user, string key, Ticket request, CancellationToken ct)
    {
        var existing = await idempotency.FindAsync(db.Tickets, t => t.UserId == user.Id, key, ct);
        if (existing is null) return null;
        if (existing.Topic != request.Topic || existing.Description != request.Description) return IdempotencyKeys.Reused();
        return (existing.ToDto(user), true);
    }

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();
}
