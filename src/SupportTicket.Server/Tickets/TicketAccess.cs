using System.Linq.Expressions;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Tickets;

/// <summary>
/// The one home of "who may see a ticket" and "the ticket is closed". Each rule is written once as an expression:
/// LINQ queries use it as is (EF translates it), in-memory checks use it compiled once. The hot SQL of a message
/// post (<c>Storage/MessageSql.Bump</c>) repeats both for speed; <c>TicketAccessSqlTests</c> pins it to these. PostgreSQL's
/// create (<c>Storage/TicketSql</c>) repeats "open" for the open-ticket cap; <c>AbuseLimitTests</c> pins that.
/// </summary>
public static class TicketAccess
{
    /// <summary>Staff see every ticket; customers and guests only their own (others answer 404, so ids do not leak).</summary>
    private static readonly Expression<Func<string, CurrentUser, bool>> SeenBy =
        (ownerId, viewer) => viewer.IsStaff || ownerId == viewer.Id;

    private static readonly Expression<Func<string, bool>> ClosedStatus = status => status == TicketStatus.Closed;

    private static readonly Func<string, CurrentUser, bool> SeenByCompiled = SeenBy.Compile();
    private static readonly Func<string, bool> ClosedCompiled = ClosedStatus.Compile();

    public static bool CanSee(CurrentUser user, string ownerId) => SeenByCompiled(ownerId, user);

    public static bool CanSee(CurrentUser user, Ticket ticket) => CanSee(user, ticket.UserId);

    /// <summary>For LINQ: the tickets <paramref name="user"/> may see.</summary>
    public static Expression<Func<Ticket, bool>> VisibleTo(CurrentUser user) => RuleExpressions.For(SeenBy, (Ticket t) => t.UserId, user);

    public static bool IsClosed(string status) => ClosedCompiled(status);

    public static bool IsClosed(Ticket ticket) => IsClosed(ticket.Status);

    /// <summary>For LINQ: tickets that are not closed.</summary>
    public static readonly Expression<Func<Ticket, bool>> IsOpen = RuleExpressions.Not(RuleExpressions.On(ClosedStatus, (Ticket t) => t.Status));

    /// <summary>The one answer to a change of a closed ticket (post, edit, update, close again): 409.</summary>
    public static ApiError Closed(string ticketId) => ApiError.Conflict($"Ticket {ticketId} is closed");
}
