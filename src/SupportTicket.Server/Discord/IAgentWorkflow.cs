using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Discord;

/// <summary>
/// The Discord side of SLA, close requests and stats (#28 items 1, 3 and 8), whose rules live with the timers. The
/// commands <c>/tickets due</c>, <c>/stats [me|team]</c> and <c>/close request [reason]</c> are registered always; they
/// answer through the registered implementation, or say they are not available while there is none.
/// </summary>
public interface IAgentWorkflow
{
    /// <summary>Open tickets whose SLA is about to breach (or has), most urgent first.</summary>
    Task<CommandAnswer> DueSoonAsync(CurrentUser agent, CancellationToken ct);

    Task<CommandAnswer> StatsAsync(CurrentUser agent, bool team, CancellationToken ct);

    /// <summary>Asks the ticket's customer to close it (the same rules as POST /tickets/{id}/close-request).</summary>
    Task<CommandAnswer> RequestCloseAsync(CurrentUser agent, string ticketId, string? reason, CancellationToken ct);
}
