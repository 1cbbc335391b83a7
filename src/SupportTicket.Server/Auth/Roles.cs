namespace SupportTicket.Server.Auth;

public static class Roles
{
    public const string TempUser = "TEMP_USER";
    public const string Customer = "CUSTOMER";
    public const string Agent = "AGENT";
    public const string Admin = "ADMIN";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { TempUser, Customer, Agent, Admin };

    public static bool IsStaff(string role) => role is Agent or Admin;
}

public static class TokenClaims
{
    public const string Id = "id";
    public const string Subject = "sub";
    public const string Username = "username";
    public const string Email = "email";
    public const string Role = "role";
}
