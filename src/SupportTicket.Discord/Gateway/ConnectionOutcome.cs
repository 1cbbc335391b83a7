namespace SupportTicket.Discord.Gateway;

internal enum NextStep
{
    Resume,
    Identify,
    Fatal,
}

internal sealed record ConnectionOutcome(NextStep Next, bool ReachedReady, int? CloseCode = null, string? Reason = null)
{
    public TimeSpan Delay { get; init; }

    public static ConnectionOutcome ForClose(int? code, string? reason, bool reachedReady) => code switch
    {
        null => new(NextStep.Resume, reachedReady, null, "connection dropped"),
        { } c when GatewayCloseCodes.IsFatal(c) => new(NextStep.Fatal, reachedReady, c, reason),
        { } c when GatewayCloseCodes.NeedsNewSession(c) => new(NextStep.Identify, reachedReady, c, reason),
        // Everything else, 1000/1001 from the server included (Discord closes with them when it moves a
        // connection), is worth a Resume attempt; if the session is really gone, op 9 false says so.
        _ => new(NextStep.Resume, reachedReady, code, reason),
    };
}
