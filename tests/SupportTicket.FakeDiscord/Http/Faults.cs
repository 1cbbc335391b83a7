namespace SupportTicket.FakeDiscord.Http;

public enum FaultKind
{
    /// <summary>429 with X-RateLimit-Scope: user and Remaining 0.</summary>
    RateLimitUser,
    /// <summary>429 with scope shared (not counted as invalid by Discord).</summary>
    RateLimitShared,
    /// <summary>429 with X-RateLimit-Global: true and global:true in the body.</summary>
    RateLimitGlobal,
    /// <summary>429 while the headers still show Remaining &gt; 0 (e.g. the hidden 2-per-10-minutes rename limit).</summary>
    Sublimit,
    BadGateway,
    /// <summary>The request is processed, then the answer is lost as a 502: the case nonces exist for.</summary>
    BadGatewayAfterCommit,
    Unauthorized,
    /// <summary>Answered normally, but only after RetryAfter seconds: a slow Discord (e.g. a slow history read).</summary>
    Slow,
}

/// <summary>"The next <paramref name="Count"/> requests on <paramref name="Route"/> fail with <paramref name="Kind"/>."</summary>
public sealed record Fault(FaultKind Kind, string? Route = null, int Count = 1, double RetryAfter = 0.3);

internal sealed class FaultQueue
{
    private readonly List<(Fault Fault, int Left)> _faults = [];
    private readonly Lock _gate = new();

    public void Add(Fault fault)
    {
        lock (_gate)
        {
            _faults.Add((fault, fault.Count));
        }
    }

    public Fault? Take(string route)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Fault.Route is null || f.Fault.Route == route);
            if (index < 0)
            {
                return null;
            }

            var (fault, left) = _faults[index];
            if (left <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = (fault, left - 1);
            }

            return fault;
        }
    }
}
