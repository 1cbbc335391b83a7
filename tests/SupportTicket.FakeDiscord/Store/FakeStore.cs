using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Store;

/// <summary>The fake guild's state. One lock: the fake favours obviousness over throughput.</summary>
public sealed class FakeStore
{
    public Lock Gate { get; } = new();

    public Snowflakes Ids { get; } = new();

    public Dictionary<ulong, JsonObject> Channels { get; } = [];

    public Dictionary<ulong, JsonObject> Messages { get; } = [];

    public Dictionary<ulong, FakeWebhook> Webhooks { get; } = [];

    /// <summary>enforce_nonce creates: the first message and when it was posted (on the fake's clock), kept for NonceWindow.</summary>
    public Dictionary<(ulong Channel, string Nonce), (ulong Message, TimeSpan At)> Nonces { get; } = [];

    /// <summary>Channels (or categories) the bot lost access to: its requests on them answer 403.</summary>
    public HashSet<ulong> NoAccess { get; } = [];

    /// <summary>Webhook executes per channel, on the fake's clock, for the 30-per-minute sublimit.</summary>
    public Dictionary<ulong, Queue<TimeSpan>> WebhookPosts { get; } = [];

    public Dictionary<ulong, FakeInteraction> Interactions { get; } = [];

    /// <summary>Guild members by user id: everyone who posted, plus those added with AddMember.</summary>
    public Dictionary<ulong, FakeMember> Members { get; } = [];

    public JsonArray GuildCommands { get; set; } = [];

    public JsonArray GlobalCommands { get; set; } = [];

    public List<UploadedFile> Uploads { get; } = [];

    /// <summary>Attachment bytes by attachment id, served at the attachment's url until AttachmentsExpired.</summary>
    public Dictionary<ulong, (string FileName, byte[] Content)> Attachments { get; } = [];

    public IReadOnlyList<JsonObject> MessagesIn(ulong channelId)
    {
        lock (Gate)
        {
            return Messages.Values.Where(m => (string?)m["channel_id"] == channelId.ToString())
                .Select(m => (JsonObject)m.DeepClone()).ToList();
        }
    }
}

public sealed record FakeWebhook(ulong Id, string Token, ulong ChannelId, string Name);

public sealed class FakeInteraction(ulong id, string token, DateTimeOffset createdAt, int type = 2)
{
    /// <summary>2 command, 3 component, 4 autocomplete, 5 modal submit: which callback types Discord accepts depends on it.</summary>
    public int Type { get; } = type;
    public ulong Id { get; } = id;
    public string Token { get; } = token;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public int Callbacks { get; set; }
    public JsonNode? Response { get; set; }
}

public sealed record UploadedFile(ulong MessageId, string FieldName, string FileName, byte[] Content);
