namespace SupportTicket.Server.Realtime;

public sealed record ErrorPayload(string Message);

/// <summary>Payload of <c>authorized</c>. <see cref="ExpiresAt"/> (Unix seconds) tells the client when to re-authorize.</summary>
public sealed record AuthorizedPayload(string UserId, string Username, string Role, long ExpiresAt);
