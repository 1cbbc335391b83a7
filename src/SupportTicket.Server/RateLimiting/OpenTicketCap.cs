using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.RateLimiting;

// How many open tickets a guest or customer may hold. A public widget must not let one visitor open hundreds. Over the
// cap is a 409 CONFLICT, not a 429: waiting does not help, closing a ticket does.
public sealed class OpenTicketCap(IOptionsMonitor<RateLimitOptions> options)
{
    public int? For(CurrentUser user)
    {
        var current = options.CurrentValue;
        return current.Enabled && current.MaxOpenTicketsPerUser > 0 && !user.IsStaff ? current.MaxOpenTicketsPerUser : null;
    }

    public static ApiError Reached(int max) =>
        ApiError.Conflict($"You already have {max} open tickets; close one before opening another");
}
