using System.Globalization;
using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

public static class TicketCards
{
    public const string ClaimPrefix = "st:claim:";
    public const string ClosePrefix = "st:close:";
    public const string TakeOverPrefix = "st:takeover:";
    /// <summary>The close form (a modal); without a ticket id after it, the ticket is the channel's.</summary>
    public const string CloseFormPrefix = "st:closeform:";
    public const string ReasonInput = "reason";

    public static CreateMessageRequest Opening(Ticket ticket, bool channelWasLost) => new()
    {
        Content = channelWasLost ? "⚠️ The previous channel of this ticket was deleted by hand; this one replaces it. The full history is in the ticket." : null,
        Embeds = [OpeningEmbed(ticket)],
        Components = [MessageComponent.Row(
            MessageComponent.Button("Claim", ClaimPrefix + ticket.Id, ButtonStyles.Primary),
            MessageComponent.Button("Close", ClosePrefix + ticket.Id, ButtonStyles.Danger))],
    };

    public static Embed OpeningEmbed(Ticket ticket) => new()
    {
        Title = Clip($"Ticket #{ticket.Number.ToString(CultureInfo.InvariantCulture)}: {ticket.Topic}", 256),
        Description = Clip(Mentions.Neutralize(ticket.Description), 4096),
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(ticket.CreatedAt).ToString("O", CultureInfo.InvariantCulture),
        Fields =
        [
            new EmbedField("Customer", $"{Name(ticket.Username, 1000)} ({ticket.UserRole})", true),
            new EmbedField("Level", ticket.IssueLevel, true),
            new EmbedField("Team", ticket.SupportRole, true),
            new EmbedField("Status", ticket.Status, true),
            new EmbedField("Assignee", ticket.AssigneeId is { } a ? AgentCommands.Who(a) : "nobody", true),
            new EmbedField("Ticket id", ticket.Id, false),
        ],
        Footer = new EmbedFooter($"API: /api/v1/tickets/{ticket.Id}"),
    };

    /// <summary>Asks to confirm a close from Discord, with the reason (required; a /close reason fills it in).</summary>
    public static InteractionResponse CloseForm(string? ticketId, string? reason) => new(InteractionCallbackTypes.Modal, new InteractionCallbackData
    {
        CustomId = CloseFormPrefix + ticketId,
        Title = "Close this ticket?",
        AllowedMentions = null,
        Components = [MessageComponent.Row(MessageComponent.TextInput("Reason (kept with the ticket)", ReasonInput, 2,
            string.IsNullOrWhiteSpace(reason) ? null : Clip(reason.Trim(), TicketRules.ReasonMax), TicketRules.ReasonMax))],
    });

    public static string AuthorName(Message message)
    {
        var label = message.AuthorRole switch
        {
            "AGENT" => "agent",
            "ADMIN" => "admin",
            _ => "customer",
        };
        return WebhookNames.Labeled(message.AuthorName, label);
    }

    public static IReadOnlyList<string> Parts(Message message)
    {
        var text = Mentions.Neutralize(message.Content);
        if (message.Internal) text = $"🔒 **Internal note** from {Name(message.AuthorName, 100)}:\n{text}";
        var attachments = message.ToFullDto().Attachments;
        if (attachments.Count > 0) text += "\n" + string.Join("\n", attachments.Select(a => $"📎 <{a}>"));
        return MessageSplitter.Split(text);
    }

    /// <summary>"★★★★☆ (4/5): “comment”", the comment defused like a name.</summary>
    public static string Rating(int score, string? comment) => $"{new string('★', score)}{new string('☆', 5 - score)} ({score}/5)"
        + (comment is { Length: > 0 } c ? $": “{Name(c, 1000)}”" : "");

    public static string Name(string name, int max) => Clip(Mentions.Neutralize(DisplayNames.Clean(name)), max);

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
