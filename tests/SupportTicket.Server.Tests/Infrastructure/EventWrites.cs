using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>Writes for the group-commit batchers as the services build them: every write carries its event.</summary>
public static class EventWrites
{
    public static PostWrite Post(IServiceProvider services, Message message, bool staff, bool outbox = false) =>
        new(message, staff, outbox, EventWriter.NewId(), services.GetRequiredService<EventWriter>().MessageTemplate(message));

    public static TicketWrite Create(IServiceProvider services, Ticket ticket, int? maxOpen, bool outbox = false)
    {
        ticket.LastEventSeq = 1;
        return new(ticket, maxOpen, outbox, EventWriter.NewId(), services.GetRequiredService<EventWriter>().TicketTemplate(ticket));
    }
}
