using System.Linq.Expressions;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Tickets;

// The one home of "who may see a ticket" and "the ticket is closed", as expressions: EF translates them, in-memory
// checks compile them once. Copies for speed: Storage/MessageSql.Bump (pinned by TicketAccessSqlTests) and
// Storage/TicketSql's "open" (pinned by AbuseLimitTests).
public static class TicketAccess
{
    // Staff see every ticket; customers and guests only their own (others answer 404, so ids do not leak).
    private static readonly Expression<Func<string, CurrentUser, bool>> SeenBy =
        (ownerId, viewer) => viewer.IsStaff || ownerId == viewer.Id;

    private static readonly Expression<Func<string, bool>> ClosedStatus = status => status == TicketStatus.Closed;

    private static readonly Func<string, CurrentUser, bool> SeenByCompiled = SeenBy.Compile();
    private static readonly Func<string, bool> ClosedCompiled = ClosedStatus.Compile();

    public static bool CanSee(CurrentUser user, string ownerId) => SeenByCompiled(ownerId, user);

    public static bool CanSee(CurrentUser user, Ticket ticket) => CanSee(user, ticket.UserId);

    public static Expression<Func<Ticket, bool>> VisibleTo(CurrentUser user) => RuleExpressions.For(SeenBy, (Ticket t) => t.UserId, user);

    public static bool IsClosed(string status) => ClosedCompiled(status);

    public static bool IsClosed(Ticket ticket) => IsClosed(ticket.Status);

    public static readonly Expression<Func<Ticket, bool>> IsOpen = RuleExpressions.Not(RuleExpressions.On(ClosedStatus, (Ticket t) => t.Status));

    public static ApiError Closed(string ticketId) => ApiError.Conflict($"Ticket {ticketId} is closed");
}
