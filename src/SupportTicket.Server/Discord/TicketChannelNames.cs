using System.Globalization;
using SupportTicket.Discord.Helpers;

namespace SupportTicket.Server.Discord;

/// <summary>How a ticket shows in Discord: the channel name and the topic that finds it again after a crash.</summary>
public static class TicketChannelNames
{
    private const int MaxLength = 100;

    /// <summary><c>ticket-&lt;number&gt;-&lt;slug&gt;</c>, already in the form Discord would turn it into.</summary>
    public static string ForTicket(long ticketNumber, string? subject)
    {
        var prefix = $"ticket-{ticketNumber.ToString(CultureInfo.InvariantCulture)}";
        var slug = ChannelNames.Slug(subject, MaxLength - prefix.Length - 1);
        return slug.Length == 0 ? prefix : $"{prefix}-{slug}";
    }

    /// <summary>The topic carries the ticket id: a lookup by it before creating makes a crash-retried create find its channel.</summary>
    public static string Topic(long ticketNumber, string ticketId) =>
        $"Support ticket #{ticketNumber.ToString(CultureInfo.InvariantCulture)} · {Marker(ticketId)}";

    public static string Marker(string ticketId) => $"ticket-id:{ticketId}";
}
