using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Endpoints;

namespace SupportTicket.FakeDiscord;

/// <summary>What people do in the Discord UI, with the gateway events Discord sends for it.</summary>
public sealed partial class FakeDiscordServer
{
    /// <summary>A human edits their message: stored, and a partial MESSAGE_UPDATE (content + edited_timestamp) is dispatched.</summary>
    public Task EditUserMessageAsync(ulong channelId, ulong messageId, string content) =>
        ChangeMessageAsync(channelId, messageId, new JsonObject { ["content"] = content }, edited: true);

    /// <summary>
    /// Discord unfurls a link in a message: MESSAGE_UPDATE with only embeds and no edited_timestamp. A bot must not
    /// take it for an edit.
    /// </summary>
    public Task UnfurlEmbedAsync(ulong channelId, ulong messageId, string url) =>
        ChangeMessageAsync(channelId, messageId,
            new JsonObject { ["embeds"] = new JsonArray(new JsonObject { ["type"] = "link", ["url"] = url }) }, edited: false);

    /// <summary>A human (or a moderator) deletes a message: MESSAGE_DELETE with only id, channel_id and guild_id.</summary>
    public async Task DeleteUserMessageAsync(ulong channelId, ulong messageId)
    {
        var message = MessageFactory.Find(this, channelId.ToString(), messageId.ToString())
            ?? throw new InvalidOperationException($"No message {messageId} in channel {channelId}.");
        await MessageFactory.DeleteAsync(this, message);
    }

    private async Task ChangeMessageAsync(ulong channelId, ulong messageId, JsonObject changes, bool edited)
    {
        var message = MessageFactory.Find(this, channelId.ToString(), messageId.ToString())
            ?? throw new InvalidOperationException($"No message {messageId} in channel {channelId}.");
        JsonObject snapshot;
        lock (Store.Gate)
        {
            foreach (var (key, value) in changes)
            {
                message[key] = value?.DeepClone();
            }

            if (edited)
            {
                message["edited_timestamp"] = DateTimeOffset.UtcNow.ToString("O");
            }

            snapshot = (JsonObject)message.DeepClone();
        }

        await Gateway.DispatchAsync("MESSAGE_UPDATE", MessageFactory.PartialUpdate(snapshot, changes, edited));
    }
}
