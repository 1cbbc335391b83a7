using System.Globalization;
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

// Buttons, slash commands, /reply's autocomplete and the close form. Whatever needs no I/O is answered at once (a
// refusal ephemerally, the close form as a modal); anything else is deferred, done through the ticket services and
// answered by editing the deferred reply. It calls Discord directly, never through the outbox, so it never waits
// behind mirroring.
public sealed class InteractionHandler(
    AppDbContext db, TicketService tickets, MessageService messages, AgentCommands agent, DiscordRestClient rest, DiscordBotState state,
    IOptions<DiscordBotOptions> options, ILogger<InteractionHandler> logger, IServiceProvider services)
{
    private const string NotYet = "This server does not offer that yet.";

    public static IReadOnlyList<ApplicationCommand> Commands => AgentRequest.Commands;

    public async Task HandleAsync(DiscordInteraction interaction, CancellationToken ct)
    {
        if (AgentRequest.Parse(interaction) is not { } request) return;
        if (interaction.Member?.User is not { } member || !DiscordMembers.IsSupport(interaction.Member, options.Value))
        {
            if (request.Action == AgentRequest.Autocomplete) await ChoicesAsync(interaction, [], ct);
            else await RespondAsync(interaction, "Only members of a support role can do that.", ct);
            return;
        }
        switch (request.Action)
        {
            case AgentRequest.Autocomplete:
                await ChoicesAsync(interaction, await agent.ReplyChoicesAsync(await TicketOfChannelAsync(interaction.ChannelId, ct), request.Argument ?? "", ct), ct);
                return;
            case AgentRequest.CloseAsk:
                // The modal is the confirmation: its Submit button closes, with the reason typed in it.
                await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, TicketCards.CloseForm(request.TicketId, request.Argument), ct);
                return;
            case "transfer" when TransferRefusal(interaction, request.Target) is { } refusal:
                await RespondAsync(interaction, refusal, ct);
                return;
            case AgentRequest.Stats when AgentRequest.StatsScope(request.Argument) is null:
                await RespondAsync(interaction, $"`/stats scope` is `{AgentRequest.StatsMe}` or `{AgentRequest.StatsTeam}`.", ct);
                return;
        }
        // Deferred before any I/O: Discord's 3 s cover only this first answer; the real one follows by editing it.
        await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new InteractionResponse(InteractionCallbackTypes.DeferredChannelMessage, new InteractionCallbackData { Flags = request.Ephemeral ? InteractionCallbackData.Ephemeral : null }), ct);
        var user = DiscordMembers.AsUser(member, interaction.Member, options.Value) with { ViaDiscord = false };
        CommandAnswer answer;
        var ticketId = request.TicketId;
        try
        {
            var workflow = services.GetService<IAgentWorkflow>();
            if (request.Action is AgentRequest.Mine or AgentRequest.Unassigned)
            {
                answer = await agent.ListAsync(user, request.Action == AgentRequest.Mine, ct);
            }
            else if (request.Action is AgentRequest.Due or AgentRequest.Stats)
            {
                answer = workflow is null ? new(NotYet)
                    : request.Action == AgentRequest.Due ? await workflow.DueSoonAsync(user, ct)
                    : await workflow.StatsAsync(user, AgentRequest.StatsScope(request.Argument) == AgentRequest.StatsTeam, ct);
            }
            else
            {
                ticketId ??= await TicketOfChannelAsync(interaction.ChannelId, ct);
                answer = ticketId is null ? new("This channel is not a ticket channel.") : await RunAsync(request, interaction.Id, user, ticketId, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Discord command {Action} on ticket {TicketId} failed", request.Action, ticketId);
            answer = new("Something went wrong; please try again.");
        }
        await rest.EditWebhookMessageAsync(state.ApplicationId, interaction.Token, "@original",
            new EditMessageRequest { Content = answer.Text, Components = answer.Components }, ct);
    }

    private async Task<CommandAnswer> RunAsync(AgentRequest request, ulong interactionId, CurrentUser user, string ticketId, CancellationToken ct)
    {
        switch (request.Action)
        {
            case "claim":
            case AgentRequest.TakeOver:
                return await agent.ClaimAsync(user, ticketId, request.Action == AgentRequest.TakeOver, ct);
            case "unclaim":
                return await agent.UnclaimAsync(user, ticketId, ct);
            case "transfer":
                return await agent.TransferAsync(user, ticketId, request.Target!.Value, ct);
            case "reply":
                return await agent.ReplyAsync(user, ticketId, request.Argument, interactionId, ct);
            case AgentRequest.CloseRequest:
                return services.GetService<IAgentWorkflow>() is { } workflow ? await workflow.RequestCloseAsync(user, ticketId, request.Argument, ct) : new(NotYet);
            case AgentRequest.Close:
                var closed = await tickets.CloseAsync(user, ticketId, string.IsNullOrWhiteSpace(request.Argument) ? null : request.Argument, ct);
                return new(closed.Ok ? $"{TicketCards.Name(user.Username, 100)} closed ticket #{closed.Value.Number}. The transcript follows." : closed.Error.Message);
            case "level":
                var level = request.Argument?.Trim().ToUpperInvariant();
                var moved = await tickets.UpdateAsync(user, ticketId, System.Text.Json.JsonSerializer.SerializeToElement(new { issue_level = level }), ct);
                return new(moved.Ok ? $"Ticket #{moved.Value.Number} is now {moved.Value.IssueLevel}." : moved.Error.Message);
            case "note":
                // The note shows in the channel through the outbox like any API note; this answer is only for its author.
                var note = await messages.PostAsync(user, ticketId, new PostMessageRequest(request.Argument, null, true), null, MessageSource.Discord, ct: ct);
                return new(note.Ok ? "Internal note added." : note.Error.Message);
            default:
                return new("Unknown command.");
        }
    }

    /// <summary>Discord sends the chosen member's roles with the command, so a non-staff target is refused before any I/O.</summary>
    private string? TransferRefusal(DiscordInteraction interaction, ulong? target)
    {
        if (target is not { } id) return "Name the agent who takes the ticket.";
        var resolved = interaction.Data?.Resolved;
        if (resolved?.Users?.GetValueOrDefault(id)?.Bot == true) return "A bot cannot hold a ticket.";
        var member = resolved?.Members?.GetValueOrDefault(id);
        return DiscordMembers.IsSupport(member, options.Value) ? null : $"<@{id.ToString(CultureInfo.InvariantCulture)}> is not staff: only members of a support role can hold a ticket.";
    }

    private async Task<string?> TicketOfChannelAsync(ulong? channelId, CancellationToken ct)
    {
        if (channelId is not { } id) return null;
        var text = id.ToString(CultureInfo.InvariantCulture);
        return await db.TicketChannels.Where(c => c.ChannelId == text).Select(c => c.TicketId).FirstOrDefaultAsync(ct);
    }

    private Task ChoicesAsync(DiscordInteraction interaction, IReadOnlyList<AutocompleteChoice> choices, CancellationToken ct) =>
        rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new InteractionResponse(InteractionCallbackTypes.AutocompleteResult, new InteractionCallbackData { Choices = choices, AllowedMentions = null }), ct);

    private Task RespondAsync(DiscordInteraction interaction, string text, CancellationToken ct) =>
        rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.ChannelMessage,
            new InteractionCallbackData { Content = text, Flags = InteractionCallbackData.Ephemeral }), ct);
}
