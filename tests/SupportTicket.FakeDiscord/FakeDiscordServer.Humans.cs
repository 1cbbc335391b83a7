using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Endpoints;

namespace SupportTicket.FakeDiscord;

/// <summary>A guild member as the fake presents them: author.username / global_name and member.nick / roles.</summary>
public sealed record FakeMember(ulong UserId, IReadOnlyList<ulong> Roles, string? Username = null, string? GlobalName = null, string? Nick = null)
{
    internal JsonObject User() => new()
    {
        ["id"] = UserId.ToString(),
        ["username"] = Username ?? $"agent{UserId % 1000}",
        ["global_name"] = GlobalName,
    };

    internal JsonObject Member(bool withUser) => new()
    {
        ["user"] = withUser ? User() : null,
        ["nick"] = Nick,
        ["roles"] = new JsonArray(Roles.Select(r => (JsonNode)r.ToString()).ToArray()),
    };
}

/// <summary>A file a human attaches in the Discord UI.</summary>
public sealed record FakeFile(string FileName, byte[] Content);

/// <summary>What people do in the Discord UI, with the gateway events Discord sends for it.</summary>
public sealed partial class FakeDiscordServer
{
    /// <summary>While true, attachment urls answer 404, as Discord's expiring CDN links do after a while.</summary>
    public bool AttachmentsExpired { get; set; }

    internal string AttachmentUrl(ulong channelId, ulong attachmentId, string fileName) =>
        $"{BaseUrl}/attachments/{channelId}/{attachmentId}/{Uri.EscapeDataString(fileName)}";

    /// <summary>A human posts in a channel: stored, and MESSAGE_CREATE is dispatched like Discord would.</summary>
    public Task<ulong> PostUserMessageAsync(ulong channelId, ulong userId, string content, IEnumerable<ulong>? roles = null) =>
        PostUserMessageAsync(channelId, new FakeMember(userId, (roles ?? []).ToList()), content);

    /// <summary>
    /// A member posts, optionally with files: MESSAGE_CREATE carries author, member (nick, roles) and attachments
    /// whose urls this fake serves (until <see cref="AttachmentsExpired"/>).
    /// </summary>
    public async Task<ulong> PostUserMessageAsync(ulong channelId, FakeMember member, string content, IReadOnlyList<FakeFile>? files = null)
    {
        AddMember(member);
        var id = Store.Ids.Next();
        var attachments = new JsonArray();
        foreach (var file in files ?? [])
        {
            var attachmentId = Store.Ids.Next();
            lock (Store.Gate)
            {
                Store.Attachments[attachmentId] = (file.FileName, file.Content);
            }

            attachments.Add(new JsonObject
            {
                ["id"] = attachmentId.ToString(),
                ["filename"] = file.FileName,
                ["size"] = file.Content.Length,
                ["url"] = AttachmentUrl(channelId, attachmentId, file.FileName),
            });
        }

        var message = new JsonObject
        {
            ["id"] = id.ToString(),
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = GuildId.ToString(),
            ["author"] = member.User(),
            ["member"] = member.Member(withUser: false),
            ["content"] = content,
            ["type"] = 0,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["edited_timestamp"] = null,
            ["embeds"] = new JsonArray(),
            ["attachments"] = attachments,
        };
        lock (Store.Gate)
        {
            Store.Messages[id] = message;
        }

        await Gateway.DispatchAsync("MESSAGE_CREATE", message.DeepClone());
        return id;
    }

    /// <summary>Someone joins the guild (or their roles change): GET /guilds/{g}/members/{u} answers with them.</summary>
    public void AddMember(FakeMember member)
    {
        lock (Store.Gate)
        {
            Store.Members[member.UserId] = member;
        }
    }

    /// <summary>Someone leaves the guild: GET of the member answers 404 (10007).</summary>
    public void RemoveMember(ulong userId)
    {
        lock (Store.Gate)
        {
            Store.Members.Remove(userId);
        }
    }

    /// <summary>A member starts typing: TYPING_START (the client needs the GUILD_MESSAGE_TYPING intent to care).</summary>
    public Task TypingAsync(ulong channelId, FakeMember member) =>
        Gateway.DispatchAsync("TYPING_START", new JsonObject
        {
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = GuildId.ToString(),
            ["user_id"] = member.UserId.ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["member"] = member.Member(withUser: true),
        });

    /// <summary>A human edits their message: stored, and MESSAGE_UPDATE (the whole message, with a new edited_timestamp) is dispatched.</summary>
    public Task EditUserMessageAsync(ulong channelId, ulong messageId, string content) =>
        ChangeMessageAsync(channelId, messageId, new JsonObject { ["content"] = content }, edited: true);

    /// <summary>
    /// Discord unfurls a link in a message: MESSAGE_UPDATE with the whole message (content included) and its
    /// edited_timestamp unchanged. A bot must not take it for an edit.
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

    /// <summary>The next <paramref name="count"/> attachment downloads send half the file, then reset the connection.</summary>
    public void BreakAttachmentDownloads(int count) => Interlocked.Exchange(ref _brokenDownloads, count);

    private int _brokenDownloads;

    private async Task ServeAttachmentAsync(HttpContext context, string attachmentId)
    {
        (string FileName, byte[] Content) file;
        lock (Store.Gate)
        {
            if (AttachmentsExpired || !ulong.TryParse(attachmentId, out var id) || !Store.Attachments.TryGetValue(id, out file))
            {
                context.Response.StatusCode = 404;
                return;
            }
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = file.Content.Length;
        if (Interlocked.Decrement(ref _brokenDownloads) >= 0)
        {
            await context.Response.Body.WriteAsync(file.Content.AsMemory(0, file.Content.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        Interlocked.Exchange(ref _brokenDownloads, 0);
        await context.Response.Body.WriteAsync(file.Content);
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

        await Gateway.DispatchAsync("MESSAGE_UPDATE", MessageFactory.UpdateEvent(snapshot));
    }
}
