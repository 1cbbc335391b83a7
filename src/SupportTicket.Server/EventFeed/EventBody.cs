using System.Text.Json;

namespace SupportTicket.Server.EventFeed;

/// <summary>
/// The bytes integrators receive for one event, in the feed and in every webhook attempt alike:
/// <c>{"id","type","created","ticket_id","seq","data"}</c>, <c>data</c> copied verbatim from the row.
/// </summary>
public static class EventBody
{
    public static byte[] Render(EventRow e)
    {
        using var buffer = new MemoryStream(e.Data.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, e);
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, EventRow e)
    {
        writer.WriteStartObject();
        writer.WriteString("id", e.EventId);
        writer.WriteString("type", e.Type);
        writer.WriteNumber("created", e.Created);
        if (e.TicketId.Length > 0) writer.WriteString("ticket_id", e.TicketId);
        else writer.WriteNull("ticket_id");
        if (e.Seq > 0) writer.WriteNumber("seq", e.Seq);
        else writer.WriteNull("seq");
        writer.WritePropertyName("data");
        writer.WriteRawValue(e.Data, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
