using System.Text.Json;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>
/// The relay sends an event in its one wire form (<see cref="TicketEventWire"/>): what arrives on another node gives
/// every viewer the payload they would get on the node that committed it (issue #25, item 4).
/// </summary>
public sealed class RelayWireFormTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly CurrentUser Customer = new("u-customer", "customer", null, Roles.Customer);
    private static readonly CurrentUser Agent = new("u-agent", "agent", null, Roles.Agent);

    [Fact]
    public void An_event_that_crossed_the_wire_shows_each_viewer_their_own_numbering_and_updated_at()
    {
        var ticket = new TicketDto("t-1", 12, Customer.Id, Customer.Username, "Topic", "Description", "open", 100, 300, null,
            Roles.Customer, Roles.Agent, "low", null, LastSeq: 7, null) { LastPublicSeq = 4, PublicUpdatedAt = 250 };
        var message = new MessageDto("m-1", "t-1", Seq: 7, Agent.Id, Agent.Username, Roles.Agent, "hello", [], false, "web", 300, 300) { PublicSeq = 4 };
        var sent = new TicketEvent(EventNames.Message, ticket, message);

        var received = RoundTrip(sent);

        Assert.NotNull(received);
        foreach (var viewer in new[] { Customer, Agent })
            Assert.Equal(Payload(sent, viewer), Payload(received, viewer));
        Assert.Contains("\"seq\":4", Payload(received, Customer));
        Assert.Contains("\"seq\":7", Payload(received, Agent));
        var closed = RoundTrip(new TicketEvent(EventNames.TicketClosed, ticket))!;
        Assert.Contains("\"last_seq\":4", Payload(closed, Customer));
        Assert.Contains("\"updated_at\":250", Payload(closed, Customer));
        Assert.Contains("\"updated_at\":300", Payload(closed, Agent));
    }

    [Fact]
    public void A_wire_form_without_its_ticket_is_no_event()
    {
        var wire = JsonSerializer.Deserialize<TicketEventWire>("""{"name":"message","last_public_seq":1}""", Json)!;

        Assert.Null(wire.ToEvent());
    }

    private static TicketEvent? RoundTrip(TicketEvent sent) =>
        JsonSerializer.Deserialize<TicketEventWire>(JsonSerializer.SerializeToUtf8Bytes(TicketEventWire.From(sent), Json), Json)!.ToEvent();

    private static string Payload(TicketEvent e, CurrentUser viewer) => JsonSerializer.Serialize(e.PayloadFor(viewer), e.PayloadFor(viewer).GetType(), Json);
}
