using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.TrustedBackend.Tokens;
using SupportTicket.TrustedBackend.Users;

namespace SupportTicket.TrustedBackend.Auth;

/// <summary>
/// Sign-up, sign-in, guest entry, refresh and sign-out. Each success returns a fresh ticket-server
/// token and (re)sets the HttpOnly refresh cookie that <c>/auth/refresh</c> consumes.
/// </summary>
public static class AuthEndpoints
{
    public const string RefreshCookie = "st_refresh";

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth").RequireRateLimiting(AuthRateLimits.Policy);
        group.MapPost("/signup", SignUp);
        group.MapPost("/signin", SignIn);
        // Its own per-address budget: each guest is a new identity on the ticket server, free to mint otherwise.
        group.MapPost("/guest", Guest).RequireRateLimiting(AuthRateLimits.GuestPolicy);
        group.MapPost("/refresh", Refresh);
        group.MapPost("/signout", SignOut);
        return app;
    }

    private static Results<Created<SessionResponse>, BadRequest<ErrorBody>, Conflict<ErrorBody>> SignUp(
        SignUpRequest request, UserStore users, SessionStore sessions, TokenIssuer issuer, HttpContext http)
    {
        var errors = AuthValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.BadRequest(new ErrorBody("BAD_REQUEST", "Invalid form of body", errors));
        }

        if (!users.TryCreate(request.Username!, request.Email!, request.Password!, Roles.Customer, out var user))
        {
            return TypedResults.Conflict(new ErrorBody("CONFLICT", "That username is taken."));
        }

        return TypedResults.Created("/auth/me", StartSession(user.ToDto(), sessions, issuer, http));
    }

    private static Results<Ok<SessionResponse>, JsonHttpResult<ErrorBody>> SignIn(
        SignInRequest request, UserStore users, SessionStore sessions, TokenIssuer issuer, HttpContext http)
    {
        var user = users.VerifyPassword(request.Username ?? "", request.Password ?? "");
        if (user is null)
        {
            // One message for unknown user and wrong password, so usernames cannot be probed.
            return Unauthorized("Wrong username or password.");
        }

        return TypedResults.Ok(StartSession(user.ToDto(), sessions, issuer, http));
    }

    private static Ok<SessionResponse> Guest(
        GuestRequest? request, SessionStore sessions, TokenIssuer issuer, HttpContext http)
    {
        var id = UserStore.NewId("guest");
        var guest = new UserDto(id, AuthValidation.GuestName(request?.Name), $"{id}@guest.invalid", Roles.Guest);
        return TypedResults.Ok(StartSession(guest, sessions, issuer, http));
    }

    private static Results<Ok<SessionResponse>, JsonHttpResult<ErrorBody>> Refresh(
        UserStore users, SessionStore sessions, TokenIssuer issuer, HttpContext http)
    {
        var rotated = http.Request.Cookies.TryGetValue(RefreshCookie, out var cookie) ? sessions.Rotate(cookie) : null;
        if (rotated is not { } session)
        {
            http.Response.Cookies.Delete(RefreshCookie, CookieOptions(http, TimeSpan.Zero));
            return Unauthorized("Your session has ended. Please sign in again.");
        }

        // Registered users are re-read so a changed role or a deleted account takes effect on refresh.
        var user = session.User.Role == Roles.Guest ? session.User : users.FindById(session.User.Id)?.ToDto();
        if (user is null)
        {
            sessions.End(session.RefreshToken);
            return Unauthorized("Your account no longer exists.");
        }

        http.Response.Cookies.Append(RefreshCookie, session.RefreshToken, CookieOptions(http, sessions.Lifetime));
        var token = issuer.Issue(user);
        return TypedResults.Ok(new SessionResponse(token.Token, token.ExpiresAt, user));
    }

    private static NoContent SignOut(SessionStore sessions, HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(RefreshCookie, out var cookie))
        {
            sessions.End(cookie);
        }

        http.Response.Cookies.Delete(RefreshCookie, CookieOptions(http, TimeSpan.Zero));
        return TypedResults.NoContent();
    }

    private static SessionResponse StartSession(UserDto user, SessionStore sessions, TokenIssuer issuer, HttpContext http)
    {
        http.Response.Cookies.Append(RefreshCookie, sessions.Start(user), CookieOptions(http, sessions.Lifetime));
        var token = issuer.Issue(user);
        return new SessionResponse(token.Token, token.ExpiresAt, user);
    }

    private static JsonHttpResult<ErrorBody> Unauthorized(string message) =>
        TypedResults.Json(new ErrorBody("UNAUTHORIZED", message), statusCode: StatusCodes.Status401Unauthorized);

    // SameSite=Strict + HttpOnly: cross-site pages cannot trigger a refresh and script cannot read the cookie.
    private static CookieOptions CookieOptions(HttpContext http, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/auth",
        MaxAge = maxAge,
    };
}
