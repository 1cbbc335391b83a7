using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

public sealed class HubAuthorizationTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Client_completes_the_json_protocol_handshake_and_starts_unauthorized()
    {
        await using var hub = await HubClient.ConnectAsync(app);

        await hub.InvokeAsync("subscribe", "any-ticket");

        var error = await hub.NextEventAsync();
        Assert.Equal("error", error.Name);
        Assert.StartsWith("Not authorized", error.Payload.Str("message"));
    }

    [Fact]
    public async Task Authorize_with_a_valid_token_answers_authorized_with_user_id_and_role()
    {
        var customer = Unique.Customer();
        await using var hub = await HubClient.ConnectAsync(app);

        await hub.InvokeAsync("authorize", new { token = Tokens.For(customer) });

        var authorized = await hub.NextEventAsync();
        Assert.Equal("authorized", authorized.Name);
        Assert.Equal(customer.Id, authorized.Payload.Str("user_id"));
        Assert.Equal("CUSTOMER", authorized.Payload.Str("role"));
    }

    [Fact]
    public async Task Authorize_with_a_badly_signed_token_answers_error_and_stays_unauthorized()
    {
        var customer = Unique.Customer();
        var forged = Tokens.Mint(Tokens.Claims(customer), TimeSpan.FromHours(1),
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey("another-secret-that-is-at-least-32-bytes!!"u8.ToArray()));
        await using var hub = await HubClient.ConnectAsync(app);

        await hub.InvokeAsync("authorize", new { token = forged });
        await hub.InvokeAsync("subscribe", "any-ticket");

        var rejected = await hub.NextEventAsync();
        Assert.Equal(("error", "Token signature is invalid"), (rejected.Name, rejected.Payload.Str("message")));
        var stillUnauthorized = await hub.NextEventAsync();
        Assert.StartsWith("Not authorized", stillUnauthorized.Payload.Str("message"));
    }

    [Fact]
    public async Task Authorize_with_an_expired_token_answers_error()
    {
        var expired = Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.FromHours(-1));
        await using var hub = await HubClient.ConnectAsync(app);

        await hub.InvokeAsync("authorize", new { token = expired });

        var error = await hub.NextEventAsync();
        Assert.Equal(("error", "Token has expired"), (error.Name, error.Payload.Str("message")));
    }

    [Fact]
    public async Task Access_token_in_the_query_authorizes_at_connect()
    {
        var customer = Unique.Customer();
        await using var hub = await HubClient.ConnectAsync(app, Tokens.For(customer));

        var authorized = await hub.NextEventAsync();

        Assert.Equal("authorized", authorized.Name);
        Assert.Equal(customer.Id, authorized.Payload.Str("user_id"));
    }

    [Fact]
    public async Task Bad_access_token_in_the_query_answers_error()
    {
        await using var hub = await HubClient.ConnectAsync(app, Tokens.AlgNone(Unique.Customer()));

        var error = await hub.NextEventAsync();

        Assert.Equal("error", error.Name);
    }

    [Fact]
    public async Task Unauthorized_connection_receives_nothing_but_error()
    {
        var owner = Unique.Customer();
        var rest = app.ClientFor(owner);
        await using var observer = await HubClient.AuthorizedAsync(app, owner);
        await using var hub = await HubClient.ConnectAsync(app);
        var ticket = await rest.CreateTicket();
        await hub.InvokeAsync("subscribe", ticket.Str("id"));
        await rest.PostMessage(ticket.Str("id"), "before authorize");
        await observer.NextEventForAsync(ticket.Str("id"), "message");

        await hub.InvokeAsync("authorize", new { token = Tokens.For(owner) });
        await rest.PostMessage(ticket.Str("id"), "after authorize");

        // Events reach a connection in publish order, so had anything before authorize been delivered it would come first.
        Assert.Equal("error", (await hub.NextEventAsync()).Name);
        Assert.Equal("authorized", (await hub.NextEventAsync()).Name);
        var first = await hub.NextEventAsync();
        Assert.Equal(("message", 2L), (first.Name, first.Seq));
    }

    [Fact]
    public async Task Re_authorizing_as_another_user_drops_the_first_users_events()
    {
        var first = Unique.Customer();
        var second = Unique.Customer();
        var firstTicket = await app.ClientFor(first).CreateTicket();
        var secondTicket = await app.ClientFor(second).CreateTicket();
        await using var hub = await HubClient.AuthorizedAsync(app, first);

        await hub.InvokeAsync("authorize", new { token = Tokens.For(second) });
        var authorized = await hub.NextEventAsync("authorized");
        await app.ClientFor(first).PostMessage(firstTicket.Str("id"), "to the first user");
        await app.ClientFor(second).PostMessage(secondTicket.Str("id"), "to the second user");

        Assert.Equal(second.Id, authorized.Payload.Str("user_id"));
        var message = await hub.NextEventAsync("message");
        Assert.Equal(secondTicket.Str("id"), message.TicketId);
    }
}
