namespace SupportTicket.Discord.Gateway;

internal sealed class GatewayState
{
    private readonly Lock _gate = new();
    private int? _sequence;
    private bool _stopResumable;

    public string? SessionId { get; set; }

    public string? ResumeUrl { get; set; }

    public bool CanResume => SessionId is not null && ResumeUrl is not null;

    public bool StopResumable
    {
        get => Volatile.Read(ref _stopResumable);
        set => Volatile.Write(ref _stopResumable, value);
    }

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

    // Accepts s only if it is newer, so a replayed event is never delivered twice.
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

    public GatewaySession? Snapshot()
    {
        lock (_gate)
        {
            return SessionId is { } id && ResumeUrl is { } url && _sequence is { } seq ? new GatewaySession(id, url, seq) : null;
        }
    }

    public void Restore(GatewaySession session) => StartSession(session.SessionId, session.ResumeGatewayUrl, session.Sequence);

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

public sealed record GatewaySession(string SessionId, string ResumeGatewayUrl, int Sequence);
