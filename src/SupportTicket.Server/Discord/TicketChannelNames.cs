using System.Globalization;
using SupportTicket.Discord.Helpers;

namespace SupportTicket.Server.Discord;

public static class TicketChannelNames
{
    private const int MaxLength = 100;

    public static string ForTicket(long ticketNumber, string? subject)
    {
        var prefix = $"ticket-{ticketNumber.ToString(CultureInfo.InvariantCulture)}";
        var slug = ChannelNames.Slug(subject, MaxLength - prefix.Length - 1);
        return slug.Length == 0 ? prefix : $"{prefix}-{slug}";
    }

    // The topic carries the ticket id: a lookup by it before creating makes a crash-retried create find its channel.
    public static string Topic(long ticketNumber, string ticketId) =>
        $"Support ticket #{ticketNumber.ToString(CultureInfo.InvariantCulture)} · {Marker(ticketId)}";

    public static string Marker(string ticketId) => $"ticket-id:{ticketId}";
}
