using System.Security.Claims;

namespace SupportTicket.Server.Auth;

/// <summary>The caller as the trusted backend described them in the token.</summary>
public sealed record CurrentUser(string Id, string Username, string? Email, string Role)
{
    public bool IsStaff => Roles.IsStaff(Role);

    /// <summary>
    /// The change is relayed from Discord by the bot: it already shows there, so message changes write no outbox
    /// row (ticket changes still do: a close from Discord must post the transcript).
    /// </summary>
    public bool ViaDiscord { get; init; }

    /// <summary>Only called after authentication succeeded, so the claims were already checked.</summary>
    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = RawId(principal) ?? throw new InvalidOperationException("Authenticated principal without an id");
        var username = principal.FindFirst(TokenClaims.Username)?.Value;
        return new CurrentUser(id, string.IsNullOrWhiteSpace(username) ? id : username,
            principal.FindFirst(TokenClaims.Email)?.Value, principal.FindFirst(TokenClaims.Role)?.Value ?? "");
    }

    /// <summary>The token's own id: <c>id</c>, or <c>sub</c> when there is no <c>id</c>.</summary>
    public static string? RawId(ClaimsPrincipal principal) =>
        principal.FindFirst(TokenClaims.Id)?.Value ?? principal.FindFirst(TokenClaims.Subject)?.Value;

    /// <summary>Lets an endpoint take <c>CurrentUser user</c> as a parameter (its group requires authorization).</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) => ValueTask.FromResult<CurrentUser?>(From(context.User));
}
