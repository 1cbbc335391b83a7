namespace SupportTicket.Server.Realtime;

/// <summary>The only place hub group names are written.</summary>
public static class HubGroups
{
    /// <summary>Every authorized connection of AGENT and ADMIN users.</summary>
    public const string Staff = "staff";

    /// <summary>Staff connections that called <c>subscribe(ticket_id)</c>.</summary>
    public static string Ticket(string ticketId) => "ticket:" + ticketId;

    /// <summary>Every authorized connection of one user (several tabs, several devices).</summary>
    public static string User(string userId) => "user:" + userId;
}
