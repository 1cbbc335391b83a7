using System.Text.Json;

namespace SupportTicket.Server.EventFeed;

/// <summary>One event as integrators receive it (the shape <see cref="EventBody"/> writes), for the API document.</summary>
/// <param name="Data">The ticket or message exactly as the REST API returns it to an ADMIN; for deletes, its last state.</param>
internal sealed record EventDoc(string Id, string Type, long Created, string? TicketId, long? Seq, JsonElement Data);

/// <summary>A page of <c>GET /api/v1/events</c>, for the API document.</summary>
internal sealed record EventPageDoc(EventDoc[] Data, string NextCursor, bool HasMore);
