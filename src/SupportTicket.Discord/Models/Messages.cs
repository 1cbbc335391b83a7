namespace SupportTicket.Discord.Models;

public sealed record DiscordUser(ulong Id, string? Username = null, bool? Bot = null, string? GlobalName = null);

public sealed record GuildMember(DiscordUser? User = null, IReadOnlyList<ulong>? Roles = null, string? Nick = null);

public sealed record DiscordAttachment(ulong Id, string Filename, int Size = 0, string? Url = null);

public sealed record DiscordMessage(
    ulong Id,
    ulong ChannelId,
    ulong? GuildId = null,
    DiscordUser? Author = null,
    GuildMember? Member = null,
    string? Content = null,
    int Type = 0,
    ulong? WebhookId = null,
    string? Timestamp = null,
    string? EditedTimestamp = null,
    IReadOnlyList<Embed>? Embeds = null,
    IReadOnlyList<DiscordAttachment>? Attachments = null,
    IReadOnlyList<MessageComponent>? Components = null);

// parse is exclusive with users/roles; an empty parse list pings nobody.
public sealed record AllowedMentions(IReadOnlyList<string> Parse)
{
    public static AllowedMentions None { get; } = new(Array.Empty<string>());

    // Role ids that may be pinged (with an empty parse list: these and nothing else).
    public IReadOnlyList<string>? Roles { get; init; }

    public static AllowedMentions OnlyRole(ulong roleId) => None with { Roles = [roleId.ToString(System.Globalization.CultureInfo.InvariantCulture)] };
}

public sealed record CreateMessageRequest
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;
    // Set automatically when null, so that a retried create is de-duplicated by Discord.
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }
    public IReadOnlyList<AttachmentSlot>? Attachments { get; init; }
    public MessageReference? MessageReference { get; init; }
}

// With fail_if_not_exists false, a reply to a message deleted meanwhile is posted as a plain message.
public sealed record MessageReference(ulong MessageId, bool FailIfNotExists = false);

// Always carries allowed_mentions: an edit without it is re-parsed with every mention enabled.
public sealed record EditMessageRequest
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;
}

public sealed record AttachmentSlot(int Id, string Filename);

public sealed record FileUpload(string FileName, ReadOnlyMemory<byte> Content, string ContentType = "application/octet-stream");
