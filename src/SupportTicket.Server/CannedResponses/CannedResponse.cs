namespace SupportTicket.Server.CannedResponses;

/// <summary>A reply agents send by name (<c>/reply &lt;name&gt;</c>); its body is a Fluid template over <see cref="CannedTemplates.Placeholders"/>.</summary>
public sealed class CannedResponse
{
    public string Id { get; set; } = "";
    /// <summary>Lowercase, unique: it is what agents type in Discord.</summary>
    public string Name { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>Offered only on tickets of this issue level; null for every level.</summary>
    public string? Level { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

public sealed record CannedResponseDto(string Id, string Name, string Body, string? Level, long CreatedAt, long UpdatedAt)
{
    public static CannedResponseDto From(CannedResponse c) => new(c.Id, c.Name, c.Body, c.Level, c.CreatedAt, c.UpdatedAt);
}

public sealed record CreateCannedResponseRequest(string? Name, string? Body, string? Level);

/// <summary>The PATCH body's shape, for the document only: the endpoint reads raw JSON so "level": null can clear the level.</summary>
internal sealed record UpdateCannedResponseRequest(string? Name, string? Body, string? Level);
