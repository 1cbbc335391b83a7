namespace SupportTicket.TrustedBackend.Users;

/// <summary>Roles the ticket server understands (docs/integrating.md, Authentication).</summary>
public static class Roles
{
    public const string Guest = "TEMP_USER";
    public const string Customer = "CUSTOMER";
    public const string Agent = "AGENT";
    public const string Admin = "ADMIN";
}

/// <summary>A user owned by this backend. Only the hash of the password is ever kept.</summary>
public sealed record AppUser(string Id, string Username, string Email, string Role)
{
    public string PasswordHash { get; init; } = "";
}

/// <summary>The public face of a user, as handed to the browser.</summary>
public sealed record UserDto(string Id, string Username, string Email, string Role);

public static class AppUserMapping
{
    public static UserDto ToDto(this AppUser user) => new(user.Id, user.Username, user.Email, user.Role);
}
