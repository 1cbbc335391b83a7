using SupportTicket.TrustedBackend.Users;

namespace SupportTicket.TrustedBackend.Auth;

public sealed record SignUpRequest(string? Username, string? Email, string? Password);

public sealed record SignInRequest(string? Username, string? Password);

public sealed record GuestRequest(string? Name);

/// <summary>What the widget needs: the bearer token for the ticket server, when it expires, and who it is.</summary>
public sealed record SessionResponse(string Token, long ExpiresAt, UserDto User);

/// <summary>Same error shape as the ticket server (docs/integrating.md, Errors), so the widget handles both alike.</summary>
public sealed record ErrorBody(string Error, string Message, IReadOnlyList<FieldError>? Errors = null);

public sealed record FieldError(string Location, string Message, string Type, object? Context = null);
