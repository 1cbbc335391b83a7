namespace SupportTicket.Server.Realtime;

public static class HubGroups
{
    public const string Staff = "staff";

    public static string Ticket(string ticketId) => "ticket:" + ticketId;

    public static string User(string userId) => "user:" + userId;
}
