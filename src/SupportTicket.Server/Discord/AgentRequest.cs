using System.Globalization;
using System.Text.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Server.Discord;

/// <summary>
/// An interaction read as what the agent asks for: the action, the ticket when the custom id names it (otherwise the
/// channel's ticket), and the one argument (a reason, a level, a note, a canned name, a user id, what is typed).
/// </summary>
public sealed record AgentRequest(string Action, string? TicketId, string? Argument, ulong? Target = null)
{
    public const string Autocomplete = "autocomplete";
    public const string CloseAsk = "close-ask";
    public const string Close = "close";
    public const string TakeOver = "takeover";
    public const string Mine = "tickets-mine";
    public const string Unassigned = "tickets-unassigned";
    public const string Due = "tickets-due";
    public const string Stats = "stats";
    public const string CloseRequest = "close-request";
    public const string StatsMe = "me";
    public const string StatsTeam = "team";

    /// <summary>/stats scope: "me" when left out; null for anything but its two choices.</summary>
    public static string? StatsScope(string? argument) => argument is null ? StatsMe : argument is StatsMe or StatsTeam ? argument : null;

    /// <summary>Slash commands registered for the guild at every start (a bulk overwrite: this is the whole list).</summary>
    public static readonly IReadOnlyList<ApplicationCommand> Commands =
    [
        new() { Name = "claim", Description = "Assign this ticket to yourself (asks before taking it from another agent)" },
        new() { Name = "unclaim", Description = "Give this ticket back to the queue" },
        new() { Name = "transfer", Description = "Hand this ticket to another agent", Options = [new(6, "agent", "The agent who takes it", true)] },
        new()
        {
            Name = "reply", Description = "Send a canned reply to the customer",
            Options = [new(3, "name", "The canned response", true) { Autocomplete = true }],
        },
        new()
        {
            Name = "tickets", Description = "List open tickets",
            Options = [new(1, "mine", "Open tickets you hold"), new(1, "unassigned", "Open tickets nobody holds"), new(1, "due", "Open tickets about to miss their response time")],
        },
        new()
        {
            Name = "close", Description = "Close this ticket",
            Options =
            [
                new(1, "now", "Close this ticket (asks to confirm, with a reason)") { Options = [new(3, "reason", "Why it is closed", false)] },
                new(1, "request", "Ask the customer whether this ticket can be closed") { Options = [new(3, "reason", "What solved it", false)] },
            ],
        },
        new()
        {
            Name = "stats", Description = $"Response times, SLA and ratings of the last {DiscordAgentWorkflow.StatsDays} days",
            Options = [new(3, "scope", "Your tickets (default) or the whole team's", false) { Choices = [new("me", StatsMe), new("team", StatsTeam)] }],
        },
        new()
        {
            Name = "level", Description = "Change the ticket's issue level",
            Options = [new(3, "level", "The new level", true) { Choices = [.. Tickets.IssueLevel.All.Select(l => new AutocompleteChoice(l, l))] }],
        },
        new() { Name = "note", Description = "Add an internal note (staff only)", Options = [new(3, "text", "The note", true)] },
    ];

    /// <summary>Answered only to the agent who asked; the rest are public in the channel.</summary>
    public bool Ephemeral => Action is "note" or "reply" or Mine or Unassigned or Due or Stats;

    public static AgentRequest? Parse(DiscordInteraction interaction)
    {
        var data = interaction.Data;
        switch (interaction.Type)
        {
            case InteractionTypes.Component when data?.CustomId is { } custom:
                if (After(custom, TicketCards.ClaimPrefix) is { } claim) return new("claim", claim, null);
                if (After(custom, TicketCards.TakeOverPrefix) is { } take) return new(TakeOver, take, null);
                if (After(custom, TicketCards.ClosePrefix) is { } close) return new(CloseAsk, close, null);
                return null;
            case InteractionTypes.ModalSubmit when data?.CustomId is { } custom && After(custom, TicketCards.CloseFormPrefix) is { } form:
                var reason = data.Components?.SelectMany(r => r.Components ?? []).FirstOrDefault(c => c.CustomId == TicketCards.ReasonInput)?.Value;
                return new(Close, form.Length == 0 ? null : form, reason);
            case InteractionTypes.Autocomplete when data?.Name == "reply":
                return new(Autocomplete, null, Text(data.Options?.FirstOrDefault(o => o.Focused == true)?.Value) ?? "");
            case InteractionTypes.Command when data?.Name is { } name && Commands.Any(c => c.Name == name):
                var options = data.Options ?? [];
                var sub = options.FirstOrDefault(o => o.Type == 1);
                return (name, sub?.Name) switch
                {
                    ("tickets", "mine") => new(Mine, null, null),
                    ("tickets", "unassigned") => new(Unassigned, null, null),
                    ("tickets", "due") => new(Due, null, null),
                    ("close", "request") => new(CloseRequest, null, Text(sub!.Options?.FirstOrDefault()?.Value)),
                    ("close", "now") => new(CloseAsk, null, Text(sub!.Options?.FirstOrDefault()?.Value)),
                    ("tickets" or "close", _) => null,
                    ("transfer", _) => new("transfer", null, null, ulong.TryParse(Text(options.FirstOrDefault()?.Value), NumberStyles.None,
                        CultureInfo.InvariantCulture, out var target) ? target : null),
                    ("stats", _) => new(Stats, null, Text(options.FirstOrDefault()?.Value)),
                    _ => new(name, null, Text(options.FirstOrDefault()?.Value)),
                };
            default:
                return null;
        }
    }

    private static string? After(string custom, string prefix) =>
        custom.StartsWith(prefix, StringComparison.Ordinal) ? custom[prefix.Length..] : null;

    private static string? Text(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } v ? v.GetString() : value?.ToString();
}
