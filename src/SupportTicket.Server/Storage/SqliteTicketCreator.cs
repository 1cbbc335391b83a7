using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// SQLite's ticket create: one EF transaction inside the (single) writer stripe, so the cap's count is exact. No group
// commit: SQLite has one writer, whose commits are cheap. Each create uses a context of its own (from the pool), so a
// create that lost an idempotency race leaves nothing tracked behind.
public sealed class SqliteTicketCreator(IServiceScopeFactory scopes, WriteGate gate, OutboxWriter outbox) : ITicketCreator
{
    public async Task<CreateOutcome> CreateAsync(TicketWrite create, Action<Ticket> committed, CancellationToken ct)
    {
        var ticket = create.Ticket;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        using (await gate.EnterAsync(ticket.Id, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (create.MaxOpen is { } max && await OpenTickets.CountAsync(db, ticket.UserId, ct) >= max)
                return CreateOutcome.CapReached;
            ticket.Number = await TicketNumbers.NextAsync(db, ct);
            db.Tickets.Add(ticket);
            outbox.AddCreated(db, ticket, create.Outbox);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (ticket.IdempotencyKey is not null && Sql.IsUniqueViolation(e))
            {
                // The same key raced us from another request; the caller answers with what that one created.
                await tx.RollbackAsync(CancellationToken.None);
                return CreateOutcome.KeyTaken;
            }
            Metrics.ServerMetrics.TicketsCreated.Add(1);
            committed(ticket);
        }
        return new CreateOutcome(ticket);
    }
}
