namespace SupportTicket.Server.Realtime;

public sealed record ErrorPayload(string Message);

public sealed record AuthorizedPayload(string UserId, string Username, string Role, long ExpiresAt);
