using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using static SupportTicket.Server.Discord.ChannelKeeper;

namespace SupportTicket.Server.Discord;

// Tells an agent that what they typed did not reach the customer: a ❌ on their message and a short reply saying why.
// Both stay in the ticket channel (or its thread), which only the ticket's support team can see; the customer never
// sees either (the relay ignores the bot's own messages).
public sealed class InboundNotices(DiscordRestClient rest, ILogger<InboundNotices> logger)
{
    public const string Emoji = "❌";

    public async Task<bool> TellAsync(InboundMessage row, CancellationToken ct)
    {
        var channel = Snowflake(row.ChannelId);
        var message = Snowflake(row.DiscordMessageId);
        var why = row.State == InboundStates.Refused
            ? $"{Emoji} Not delivered to the customer: {row.LastError}"
            : $"{Emoji} Not delivered to the customer: it could not be relayed ({row.LastError}). Please send it again.";
        try
        {
            await rest.AddReactionAsync(channel, message, Emoji, ct);
            // The nonce makes a retried notice (a lost answer, a second node) the same message, not a second one.
            await rest.CreateMessageAsync(channel, new CreateMessageRequest
            {
                Content = TicketCards.Clip(Mentions.Neutralize(why), 2000),
                MessageReference = new MessageReference(message),
                Nonce = "in" + row.DiscordMessageId,
            }, ct);
            return true;
        }
        catch (DiscordRestException e) when (e.Code is DiscordErrorCodes.UnknownMessage or DiscordErrorCodes.UnknownChannel)
        {
            return true;
        }
        catch (DiscordRestException e)
        {
            logger.LogWarning("Telling the agent that Discord message {DiscordMessageId} was not relayed failed: {Error}", row.DiscordMessageId, e.Message);
            return false;
        }
    }
}
