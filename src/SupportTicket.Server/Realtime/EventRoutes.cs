using SupportTicket.Server.Auth;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Realtime;

// Who receives an event, decided from the event's own data (owner, assignee, ticket id) and the recipient's identity
// only, never from state of the node that wrote it, so any node can route an event that came over the bus.
internal static class EventRoutes
{
    public static IEnumerable<string> Groups(TicketEvent e)
    {
        yield return HubGroups.User(e.Ticket.UserId);
        if (e.Name is EventNames.TicketCreated or EventNames.TicketUpdated or EventNames.TicketClosed)
        {
            yield return HubGroups.Staff;
            yield break;
        }
        yield return HubGroups.Ticket(e.Ticket.Id);
        if (e.Ticket.AssigneeId is { Length: > 0 } assignee) yield return HubGroups.User(assignee);
    }

    public static bool Admits(TicketEvent e, CurrentUser user) =>
        TicketAccess.CanSee(user, e.Ticket.UserId)
        && (e.Message is null || MessageRules.CanSee(user, e.Message.Internal))
        && e.Typing?.UserId != user.Id
        // A read receipt goes to the other side only.
        && (e.Read is null || (e.Read.Side == ReadDto.Customer) == MessageRules.SeesAllNotes(user));
}
