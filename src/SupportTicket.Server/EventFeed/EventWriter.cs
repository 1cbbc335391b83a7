using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.EventFeed;

/// <summary>
/// Writes event rows into the caller's transaction. The EF write paths call <see cref="AppendAsync"/>; the
/// group-committed hot writes (Storage/MessageSql, Storage/TicketSql, the SQLite batchers) insert theirs in their
/// own statements, with the data prepared here. A value the database assigns in that statement (a message's seq, a
/// ticket's number) is serialized as a placeholder the statement replaces, so both stores produce the same bytes.
/// </summary>
public sealed class EventWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock)
{
    /// <summary>In a message's data before the database numbered it: <c>"seq":0,</c> (seq is never 0 once stored).</summary>
    public const string SeqPlaceholder = "\"seq\":0,";
    /// <summary>In a created ticket's data before PostgreSQL's sequence numbered it.</summary>
    public const string NumberPlaceholder = "\"number\":0,";

    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public static string NewId() => "evt_" + Ids.New();

    /// <summary>The object exactly as the REST API writes it (same options, same property order).</summary>
    public string Serialize<T>(T dto) => JsonSerializer.Serialize(dto, _json);

    /// <summary>A message's data with its seq left to the write (<see cref="SeqPlaceholder"/>).</summary>
    public string MessageTemplate(Message message) => Serialize(message.ToFullDto() with { Seq = 0 });

    public static string FillSeq(string template, long seq) => ReplaceOnce(template, SeqPlaceholder, $"\"seq\":{seq},");

    /// <summary>A new ticket's data with its number left to the write (<see cref="NumberPlaceholder"/>).</summary>
    public string TicketTemplate(Ticket ticket)
    {
        var data = Serialize(ticket.ToFullDto() with { Number = 0 });
        return ticket.Number == 0 ? data : FillNumber(data, ticket.Number);
    }

    public static string FillNumber(string template, long number) => ReplaceOnce(template, NumberPlaceholder, $"\"number\":{number},");

    /// <summary>
    /// Bumps the ticket's event counter and inserts the event with that number, inside the caller's open transaction
    /// (the ticket row must still exist: append a delete before removing the row). The UPDATE's row lock orders
    /// concurrent writers of one ticket on every node.
    /// </summary>
    public async Task AppendAsync(AppDbContext db, string type, string ticketId, string data, CancellationToken ct)
    {
        var id = NewId();
        var created = clock.GetUtcNow().ToUnixTimeSeconds();
        var bumped = await db.Database.ExecuteSqlAsync(
            $"UPDATE tickets SET last_event_seq = last_event_seq + 1 WHERE id = {ticketId}", ct);
        if (bumped != 1) throw new InvalidOperationException($"Ticket {ticketId} is gone; its event cannot be written");
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO events (event_id, type, ticket_id, seq, created, data) SELECT {id}, {type}, {ticketId}, last_event_seq, {created}, {data} FROM tickets WHERE id = {ticketId}", ct);
    }

    /// <summary>The first event of a ticket created through EF (SQLite): seq 1, staged for the caller's SaveChanges.</summary>
    public void AddCreated(AppDbContext db, Ticket ticket)
    {
        ticket.LastEventSeq = 1;
        db.Events.Add(new EventRow
        {
            EventId = NewId(), Type = EventTypes.TicketCreated, TicketId = ticket.Id, Seq = 1,
            Created = clock.GetUtcNow().ToUnixTimeSeconds(), Data = TicketTemplate(ticket),
        });
    }

    private static string ReplaceOnce(string text, string placeholder, string value)
    {
        var at = text.IndexOf(placeholder, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"No {placeholder} in the event data");
        return string.Concat(text.AsSpan(0, at), value, text.AsSpan(at + placeholder.Length));
    }
}
