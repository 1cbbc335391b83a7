using Microsoft.Extensions.Options;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Lifecycle;

/// <summary>Sla:Levels:&lt;LEVEL&gt;:FirstResponseMinutes / NextResponseMinutes (business minutes when BusinessHours is set).</summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    public Dictionary<string, SlaLevel> Levels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>GET /tickets?sla=due_soon lists tickets whose next SLA deadline is at most this far away.</summary>
    public int DueSoonMinutes { get; set; } = 60;

    public SlaLevel? For(string level) => Levels.TryGetValue(level, out var l) ? l : null;
}

public sealed class SlaLevel
{
    public int? FirstResponseMinutes { get; set; }
    public int? NextResponseMinutes { get; set; }
}

/// <summary>Lifecycle:*: auto-close of tickets waiting on the customer, and close requests.</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    /// <summary>0 turns auto-close off.</summary>
    public int AutoCloseAfterHours { get; set; } = 72;
    public int WarnBeforeHours { get; set; } = 24;
    public int CloseRequestHours { get; set; } = 24;
    public int RatingWindowDays { get; set; } = 14;
    /// <summary>The longest the timer service sleeps; a timer set by another node is seen within this.</summary>
    public int ScanSeconds { get; set; } = 30;
    /// <summary>The author name of the messages the server itself posts (the auto-close warning).</summary>
    public string SystemName { get; set; } = "Support";
    public Dictionary<string, LifecycleLevel> Levels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int AutoCloseHoursFor(string level) => Levels.TryGetValue(level, out var l) && l.AutoCloseAfterHours is { } h ? h : AutoCloseAfterHours;
}

public sealed class LifecycleLevel
{
    public int? AutoCloseAfterHours { get; set; }
}

internal sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions o)
    {
        foreach (var (level, sla) in o.Levels)
        {
            if (!IssueLevel.All.Contains(level.ToUpperInvariant()))
                return ValidateOptionsResult.Fail($"Sla:Levels:{level} is not an issue level ({string.Join(", ", IssueLevel.All)})");
            if (sla.FirstResponseMinutes is <= 0)
                return ValidateOptionsResult.Fail($"Sla:Levels:{level}:FirstResponseMinutes must be more than 0");
            if (sla.NextResponseMinutes is <= 0)
                return ValidateOptionsResult.Fail($"Sla:Levels:{level}:NextResponseMinutes must be more than 0");
        }
        return o.DueSoonMinutes < 1 ? ValidateOptionsResult.Fail("Sla:DueSoonMinutes must be more than 0") : ValidateOptionsResult.Success;
    }
}

internal sealed class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(LifecycleOptions o)
    {
        if (o.AutoCloseAfterHours < 0) return "Lifecycle:AutoCloseAfterHours must be 0 (off) or more";
        foreach (var (level, l) in o.Levels)
        {
            if (!IssueLevel.All.Contains(level.ToUpperInvariant()))
                return $"Lifecycle:Levels:{level} is not an issue level ({string.Join(", ", IssueLevel.All)})";
            if (l.AutoCloseAfterHours is < 0) return $"Lifecycle:Levels:{level}:AutoCloseAfterHours must be 0 (off) or more";
            if (l.AutoCloseAfterHours is > 0 and var h && o.WarnBeforeHours >= h)
                return $"Lifecycle:WarnBeforeHours must be less than Lifecycle:Levels:{level}:AutoCloseAfterHours ({h})";
        }
        if (o.WarnBeforeHours < 0) return "Lifecycle:WarnBeforeHours must be 0 (no warning) or more";
        if (o.AutoCloseAfterHours > 0 && o.WarnBeforeHours >= o.AutoCloseAfterHours)
            return "Lifecycle:WarnBeforeHours must be less than Lifecycle:AutoCloseAfterHours";
        if (o.CloseRequestHours < 1) return "Lifecycle:CloseRequestHours must be at least 1";
        if (o.RatingWindowDays < 1) return "Lifecycle:RatingWindowDays must be at least 1";
        if (o.ScanSeconds is < 1 or > 3600) return "Lifecycle:ScanSeconds must be between 1 and 3600";
        return string.IsNullOrWhiteSpace(o.SystemName) ? "Lifecycle:SystemName must not be empty" : null;
    }
}
