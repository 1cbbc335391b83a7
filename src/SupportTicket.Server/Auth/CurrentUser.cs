using System.Security.Claims;

namespace SupportTicket.Server.Auth;

public sealed record CurrentUser(string Id, string Username, string? Email, string Role)
{
    private const string AuthenticationType = "Bearer";

    public bool IsStaff => Roles.IsStaff(Role);

    // The change is relayed from Discord by the bot: it already shows there, so message changes write no outbox row
    // (ticket changes still do: a close from Discord must post the transcript).
    public bool ViaDiscord { get; init; }

    // The principal ASP.NET Core sees (role policies, rate limits, logs): exactly one claim per name, made from this
    // accepted user, never from the token's own claims, whose names ClaimsIdentity would match ignoring case.
    public ClaimsPrincipal ToPrincipal()
    {
        var identity = new ClaimsIdentity(AuthenticationType, TokenClaims.Username, TokenClaims.Role);
        identity.AddClaim(new Claim(TokenClaims.Id, Id));
        identity.AddClaim(new Claim(TokenClaims.Username, Username));
        if (Email is not null) identity.AddClaim(new Claim(TokenClaims.Email, Email));
        identity.AddClaim(new Claim(TokenClaims.Role, Role));
        return new ClaimsPrincipal(identity);
    }

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        principal.FindFirst(TokenClaims.Id)?.Value ?? throw new InvalidOperationException("Authenticated principal without an id"),
        principal.FindFirst(TokenClaims.Username)?.Value ?? "",
        principal.FindFirst(TokenClaims.Email)?.Value,
        principal.FindFirst(TokenClaims.Role)?.Value ?? "");

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) => ValueTask.FromResult<CurrentUser?>(From(context.User));
}
