using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Events;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Realtime;

// Thin by design: authorizes connections and manages their groups. It never writes to the database; every event is
// pushed from outside by HubEventDelivery. Typing is the one thing it publishes, and it is not stored.
internal sealed class TicketHub(
    RealtimeConnections connections, TokenValidator tokens, TicketService tickets, ITicketEventBus bus, TypingThrottle typing,
    TimeProvider clock, ReadReceipts.ReadReceiptService receipts) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var connection = connections.Add(Context);
        if (ConnectToken() is { } token) await AuthorizeWithAsync(connection, token);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return Task.CompletedTask;
    }

    [HubMethodName("authorize")]
    public async Task AuthorizeAsync(JsonElement request)
    {
        if (connections.Find(Context.ConnectionId) is not { } connection) return;
        var token = request.ValueKind switch
        {
            JsonValueKind.String => request.GetString(),
            JsonValueKind.Object when request.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
            _ => null,
        };
        await AuthorizeWithAsync(connection, token);
    }

    [HubMethodName("subscribe")]
    public async Task SubscribeAsync(JsonElement ticketId)
    {
        if (await VisibleTicketAsync(ticketId) is not (var connection, var user, var ticket)) return;
        if (user.IsStaff) connections.Subscribe(connection, ticket.Id);
    }

    [HubMethodName("unsubscribe")]
    public async Task UnsubscribeAsync(JsonElement ticketId)
    {
        if (await AuthorizedAsync() is not (var connection, _)) return;
        if (TicketId(ticketId) is { } id) connections.Unsubscribe(connection, id);
        else await ErrorAsync("ticket_id is required");
    }

    [HubMethodName("typing")]
    public async Task TypingAsync(JsonElement ticketId)
    {
        if (await AuthorizedAsync() is not (_, var user)) return;
        if (TicketId(ticketId) is { } id && !await typing.TryEnterAsync(user.Id, id, Context.ConnectionAborted)) return;
        if (await VisibleTicketAsync(ticketId) is not (_, _, var ticket)) return;
        if (TicketAccess.IsClosed(ticket)) return;
        bus.Publish(new TicketEvent(EventNames.Typing, ticket.ToFullDto(), Typing: new TypingDto(ticket.Id, user.Id, user.Username)));
    }

    /// <summary>
    /// <c>markRead(ticket_id, seq)</c>: the one hub method that changes stored state, through the same service as
    /// <c>POST /tickets/{id}/read</c>, so the rules and the event are the REST ones.
    /// </summary>
    [HubMethodName("markRead")]
    public async Task MarkReadAsync(JsonElement ticketId, JsonElement seq)
    {
        if (await AuthorizedAsync() is not (_, var user)) return;
        if (TicketId(ticketId) is not { } id)
        {
            await ErrorAsync("ticket_id is required");
            return;
        }
        if (seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var n))
        {
            await ErrorAsync("seq must be a whole number");
            return;
        }
        var result = await receipts.MarkAsync(user, id, n, Context.ConnectionAborted);
        if (!result.Ok) await ErrorAsync(result.Error.Message);
    }

    private async Task AuthorizeWithAsync(RealtimeConnection connection, string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            connection.FailedAuthorizations++;
            Metrics.ServerMetrics.HubConnections.Add(1, new KeyValuePair<string, object?>("authorized", false));
            await ErrorAsync("Missing token: call authorize with {\"token\": \"<jwt>\"}");
            return;
        }
        var (valid, failure) = await tokens.ValidateAsync(token);
        Metrics.ServerMetrics.HubConnections.Add(1, new KeyValuePair<string, object?>("authorized", valid is not null));
        if (valid is null)
        {
            connection.FailedAuthorizations++;
            await ErrorAsync(TokenRules.Describe(failure, hasToken: true));
            return;
        }
        var identity = new HubIdentity(valid.User, valid.ExpiresAt, valid.Jti, valid.IssuedAt);
        connections.Authorize(connection, identity);
        connections.Enqueue(connection, EventNames.Authorized, new AuthorizedPayload(
            identity.User.Id, identity.User.Username, identity.User.Role, identity.ExpiresAt.ToUnixTimeSeconds()));
    }

    private async Task<(RealtimeConnection, CurrentUser)?> AuthorizedAsync()
    {
        var connection = connections.Find(Context.ConnectionId);
        var identity = connection?.Identity;
        if (connection is not null && identity is not null && identity.ExpiresAt > clock.GetUtcNow()) return (connection, identity.User);
        await ErrorAsync("Not authorized: call authorize with {\"token\": \"<jwt>\"} first");
        return null;
    }

    private async Task<(RealtimeConnection, CurrentUser, Ticket)?> VisibleTicketAsync(JsonElement ticketId)
    {
        if (await AuthorizedAsync() is not (var connection, var user)) return null;
        if (TicketId(ticketId) is not { } id)
        {
            await ErrorAsync("ticket_id is required");
            return null;
        }
        var found = await tickets.FindVisibleAsync(user, id, Context.ConnectionAborted);
        if (found.Ok) return (connection, user, found.Value);
        await ErrorAsync(found.Error.Message);
        return null;
    }

    // Accepts "id", {"ticket_id": "id"} or a number, since widgets send all three.
    private static string? TicketId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 and <= 128 } s ? s : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object when value.TryGetProperty("ticket_id", out var id) => TicketId(id),
        _ => null,
    };

    // The one place a hub token is read at connect: browsers cannot set headers on WebSocket requests, so SignalR sends
    // it as access_token in the query; non-browser clients (node) send an Authorization header.
    private string? ConnectToken()
    {
        var request = Context.GetHttpContext()?.Request;
        if (request is null) return null;
        if (request.Query["access_token"].ToString() is { Length: > 0 } query) return query;
        return TokenValidator.FromHeader(request);
    }

    private Task ErrorAsync(string message)
    {
        var payload = new ErrorPayload(message);
        if (connections.Find(Context.ConnectionId) is not { } connection) return Clients.Caller.SendAsync(EventNames.Error, payload);
        connections.Enqueue(connection, EventNames.Error, payload);
        return Task.CompletedTask;
    }
}
