using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Email;

public sealed record PreferencesDto(bool EmailNotifications);

public sealed record PreferencesPatch(bool? EmailNotifications);

public static class EmailEndpoints
{
    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization().WithRateLimits().WithTags("Email");
        me.MapGet("/preferences", async Task<Ok<PreferencesDto>> (CurrentUser user, AppDbContext db, CancellationToken ct) =>
                TypedResults.Ok(new PreferencesDto(await WantsMailAsync(db, user.Id, ct))))
            .WithName(RatePolicies.GetPreferences).WithSummary("The caller's mail preference");
        me.MapPatch("/preferences", async Task<Results<Ok<PreferencesDto>, ApiErrorResult>> (
            PreferencesPatch request, CurrentUser user, AppDbContext db, WriteGate gate, TimeProvider clock, CancellationToken ct) =>
        {
            if (request.EmailNotifications is not { } wanted)
                return ApiErrors.Result(ApiError.Invalid([new("email_notifications", "email_notifications must be true or false", "required")]));
            await SetAsync(db, gate, user.Id, user.Email, wanted, clock, ct);
            return TypedResults.Ok(new PreferencesDto(wanted));
        }).WithName(RatePolicies.UpdatePreferences).WithSummary("Turn mail about the caller's tickets on or off").ProducesErrors(Responses.BodyErrors);

        // RFC 8058: a GET (a person following the link) only shows a button; the POST (the button, or the mail
        // client's one-click) unsubscribes. Both are signed links, no login.
        var unsubscribe = app.MapGroup("/api/v1/email").WithRateLimits().WithTags("Email");
        unsubscribe.MapGet("/unsubscribe", async Task<Results<ContentHttpResult, ApiErrorResult>> (
            string? u, string? s, EmailSigner signer, CancellationToken ct) =>
        {
            if (!await ValidAsync(signer, u, s, ct)) return ApiErrors.Result(BadLink);
            var action = $"/api/v1/email/unsubscribe?u={Uri.EscapeDataString(u!)}&s={Uri.EscapeDataString(s!)}";
            return TypedResults.Content(Page("Stop these mails?",
                $"<form method=\"post\" action=\"{WebUtility.HtmlEncode(action)}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">" +
                "<button type=\"submit\">Unsubscribe</button></form>"), "text/html; charset=utf-8");
        }).WithName(RatePolicies.UnsubscribePage).Produces<string>(StatusCodes.Status200OK, "text/html").WithSummary("The page behind a mail's unsubscribe link (signed, no login)").ProducesErrors(400);
        unsubscribe.MapPost("/unsubscribe", async Task<Results<ContentHttpResult, ApiErrorResult>> (
            string? u, string? s, EmailSigner signer, AppDbContext db, WriteGate gate, TimeProvider clock, CancellationToken ct) =>
        {
            if (!await ValidAsync(signer, u, s, ct)) return ApiErrors.Result(BadLink);
            await SetAsync(db, gate, u!, null, false, clock, ct);
            return TypedResults.Content(Page("Unsubscribed", "<p>You will get no more mail about your tickets. You can turn it on again in the support widget.</p>"),
                "text/html; charset=utf-8");
        }).WithName(RatePolicies.Unsubscribe).DisableAntiforgery().Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithSummary("One-click unsubscribe (RFC 8058; signed link, no login, any body)").ProducesErrors(400);
        return app;
    }

    private static readonly ApiError BadLink = ApiError.BadRequest("This unsubscribe link is not valid",
        [new("s", "the link's signature does not match", "invalid")]);

    private static async Task<bool> ValidAsync(EmailSigner signer, string? u, string? s, CancellationToken ct) =>
        u is { Length: > 0 and <= 256 } && await signer.VerifyAsync("unsubscribe", u, s, EmailSigner.UnsubscribeSignatureLength, ct);

    public static async Task<bool> WantsMailAsync(AppDbContext db, string userId, CancellationToken ct) =>
        await db.EmailRecipients.Where(r => r.UserId == userId).Select(r => (bool?)r.Notifications).FirstOrDefaultAsync(ct) ?? true;

    private static async Task SetAsync(AppDbContext db, WriteGate gate, string userId, string? email, bool wanted, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        using var _ = await gate.EnterAsync(userId, ct);
        // The address stays as the last token gave it; a new row takes this caller's.
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO email_recipients (user_id, email, notifications, updated_at) VALUES ({userId}, {email}, {wanted}, {now}) ON CONFLICT (user_id) DO UPDATE SET notifications = excluded.notifications, updated_at = excluded.updated_at", ct);
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>";
}
