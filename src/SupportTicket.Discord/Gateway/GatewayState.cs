namespace SupportTicket.Discord.Gateway;

/// <summary>What survives a dropped connection: the session to resume and the last sequence seen.</summary>
internal sealed class GatewayState
{
    private readonly Lock _gate = new();
    private int? _sequence;

    public string? SessionId { get; set; }

    public string? ResumeUrl { get; set; }

    public bool CanResume => SessionId is not null && ResumeUrl is not null;

    public int? Sequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Accepts s only if it is newer, so a replayed event is never delivered twice.</summary>
    public bool TryAdvance(int sequence)
    {
        lock (_gate)
        {
            if (_sequence is { } last && sequence <= last)
            {
                return false;
            }

            _sequence = sequence;
            return true;
        }
    }

    public void StartSession(string sessionId, string resumeUrl, int sequence)
    {
        lock (_gate)
        {
            SessionId = sessionId;
            ResumeUrl = resumeUrl;
            _sequence = sequence;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            SessionId = null;
            ResumeUrl = null;
            _sequence = null;
        }
    }
}
