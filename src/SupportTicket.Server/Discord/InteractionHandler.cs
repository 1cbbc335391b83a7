using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

using EditMessageRequest = SupportTicket.Discord.Models.EditMessageRequest;

namespace SupportTicket.Server.Discord;

// Claim / Close buttons and /claim, /close, /level, /note. Acknowledged at once (a refusal as an ephemeral answer,
// anything else deferred), then done through the ticket services and answered by editing the deferred reply. It calls
// Discord directly, never through the outbox, so it never waits behind mirroring.
public sealed class InteractionHandler(
    AppDbContext db, TicketService tickets, MessageService messages, DiscordRestClient rest, DiscordBotState state,
    IOptions<DiscordBotOptions> options, ILogger<InteractionHandler> logger)
{
    public static readonly IReadOnlyList<ApplicationCommand> Commands =
    [
        new() { Name = "claim", Description = "Assign this ticket to yourself" },
        new() { Name = "close", Description = "Close this ticket", Options = [new(3, "reason", "Why it is closed", false)] },
        new() { Name = "level", Description = "Change the ticket's issue level", Options = [new(3, "level", "NORMAL, URGENT or CRITICAL", true)] },
        new() { Name = "note", Description = "Add an internal note (staff only)", Options = [new(3, "text", "The note", true)] },
    ];

    public async Task HandleAsync(DiscordInteraction interaction, CancellationToken ct)
    {
        var (action, ticketId, argument) = Parse(interaction);
        if (action is null) return;
        if (interaction.Member?.User is not { } member || !DiscordMembers.IsSupport(interaction.Member, options.Value))
        {
            await RespondAsync(interaction, "Only members of a support role can do that.", ct);
            return;
        }
        // Deferred before any I/O (the refusal above needs none): Discord's 3 s cover only this first answer; the
        // real one follows by editing it once the ticket service has done the work.
        await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new InteractionResponse(InteractionCallbackTypes.DeferredChannelMessage, new InteractionCallbackData { Flags = action == "note" ? InteractionCallbackData.Ephemeral : null }), ct);
        var user = DiscordMembers.AsUser(member, interaction.Member, options.Value) with { ViaDiscord = false };
        string answer;
        try
        {
            ticketId ??= await TicketOfChannelAsync(interaction.ChannelId, ct);
            answer = ticketId is null ? "This channel is not a ticket channel." : await RunAsync(action, user, ticketId, argument, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Discord command {Action} on ticket {TicketId} failed", action, ticketId);
            answer = "Something went wrong; please try again.";
        }
        await rest.EditWebhookMessageAsync(state.ApplicationId, interaction.Token, "@original",
            new EditMessageRequest { Content = SupportTicket.Discord.Helpers.Mentions.Neutralize(answer) }, ct);
    }

    private async Task<string> RunAsync(string action, CurrentUser user, string ticketId, string? argument, CancellationToken ct)
    {
        switch (action)
        {
            case "claim":
                var claimed = await tickets.UpdateAsync(user, ticketId, Json(new { assignee_id = user.Id, status = TicketStatus.InProgress }), ct);
                return claimed.Ok ? $"{user.Username} claimed ticket #{claimed.Value.Number}." : claimed.Error.Message;
            case "close":
                var closed = await tickets.CloseAsync(user, ticketId, string.IsNullOrWhiteSpace(argument) ? null : argument, ct);
                return closed.Ok ? $"{user.Username} closed ticket #{closed.Value.Number}. The transcript follows." : closed.Error.Message;
            case "level":
                var level = argument?.Trim().ToUpperInvariant();
                var moved = await tickets.UpdateAsync(user, ticketId, Json(new { issue_level = level }), ct);
                return moved.Ok ? $"Ticket #{moved.Value.Number} is now {moved.Value.IssueLevel}." : moved.Error.Message;
            case "note":
                // The note shows in the channel through the outbox like any API note; this answer is only for its author.
                var note = await messages.PostAsync(user, ticketId, new PostMessageRequest(argument, null, true), null, MessageSource.Discord, ct: ct);
                return note.Ok ? "Internal note added." : note.Error.Message;
            default:
                return "Unknown command.";
        }
    }

    private static (string? Action, string? TicketId, string? Argument) Parse(DiscordInteraction interaction)
    {
        if (interaction.Type == 3 && interaction.Data?.CustomId is { } custom)
        {
            if (custom.StartsWith(TicketCards.ClaimPrefix, StringComparison.Ordinal)) return ("claim", custom[TicketCards.ClaimPrefix.Length..], null);
            if (custom.StartsWith(TicketCards.ClosePrefix, StringComparison.Ordinal)) return ("close", custom[TicketCards.ClosePrefix.Length..], null);
            return (null, null, null);
        }
        if (interaction.Type != 2 || interaction.Data?.Name is not { } name || !Commands.Any(c => c.Name == name)) return (null, null, null);
        var option = interaction.Data.Options?.FirstOrDefault()?.Value;
        var argument = option is { ValueKind: JsonValueKind.String } v ? v.GetString() : option?.ToString();
        return (name, null, argument);
    }

    private async Task<string?> TicketOfChannelAsync(ulong? channelId, CancellationToken ct)
    {
        if (channelId is not { } id) return null;
        var text = id.ToString(CultureInfo.InvariantCulture);
        return await db.TicketChannels.Where(c => c.ChannelId == text).Select(c => c.TicketId).FirstOrDefaultAsync(ct);
    }

    private Task RespondAsync(DiscordInteraction interaction, string text, CancellationToken ct) =>
        rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.ChannelMessage,
            new InteractionCallbackData { Content = text, Flags = InteractionCallbackData.Ephemeral }), ct);

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);
}
