extern alias backend;

using System.Net;
using backend::SupportTicket.TrustedBackend.Users;
using SupportTicket.Widget.Tests.Infrastructure;

namespace SupportTicket.Widget.Tests;

/// <summary>The sample trusted backend on its own: accounts, guest entry, token claims, refresh.</summary>
[Collection(WidgetStackCollection.Name)]
public sealed class TrustedBackendTests(WidgetStack stack)
{
    [Fact]
    public async Task Demo_agent_signs_in_with_the_documented_password_and_gets_an_agent_token()
    {
        using var client = new BackendClient(stack.Backend);

        var session = await client.SignInAsync("agent", UserStore.DemoPassword("agent"));

        Assert.Equal("AGENT", session.User.Role);
        Assert.Equal("AGENT", BackendClient.Decode(session.Token).Claims.Single(c => c.Type == "role").Value);
    }

    [Fact]
    public async Task Token_carries_the_claims_the_ticket_server_expects_and_is_short_lived()
    {
        using var client = new BackendClient(stack.Backend);

        var session = await client.SignInAsync("alice", UserStore.DemoPassword("alice"));
        var jwt = BackendClient.Decode(session.Token);

        Assert.Equal("HS256", jwt.Header.Alg);
        var claims = jwt.Claims.ToDictionary(c => c.Type, c => c.Value);
        Assert.Equal(session.User.Id, claims["id"]);
        Assert.Equal("alice", claims["username"]);
        Assert.Equal("alice@example.com", claims["email"]);
        Assert.Equal("CUSTOMER", claims["role"]);
        Assert.False(string.IsNullOrEmpty(claims["jti"]));
        Assert.Equal(300, long.Parse(claims["exp"]) - long.Parse(claims["iat"]));
        Assert.Equal(session.ExpiresAt, long.Parse(claims["exp"]));
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_the_shared_error_shape()
    {
        using var client = new BackendClient(stack.Backend);

        var response = await client.PostAsync("/auth/signin", new { username = "alice", password = "nope-nope" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await BackendClient.ReadAsync<Dictionary<string, object>>(response);
        Assert.Equal("UNAUTHORIZED", body["error"].ToString());
    }

    [Fact]
    public void Passwords_are_stored_only_as_salted_hashes()
    {
        var store = new UserStore();

        store.TryCreate("carol", "carol@example.com", "s3cret-password", Roles.Customer, out var carol);
        store.TryCreate("dave", "dave@example.com", "s3cret-password", Roles.Customer, out var dave);

        Assert.DoesNotContain("s3cret-password", carol.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(carol.PasswordHash, dave.PasswordHash);
        Assert.NotNull(store.VerifyPassword("carol", "s3cret-password"));
        Assert.Null(store.VerifyPassword("carol", "wrong-password"));
    }

    [Fact]
    public async Task Sign_up_with_a_taken_username_answers_conflict()
    {
        using var client = new BackendClient(stack.Backend);

        var response = await client.PostAsync("/auth/signup",
            new { username = "alice", email = "other@example.com", password = "long-enough-password" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Guest_entry_gets_a_temp_user_token_with_a_random_id()
    {
        using var first = new BackendClient(stack.Backend);
        using var second = new BackendClient(stack.Backend);

        var a = await BackendClient.ReadAsync<SessionJson>(await first.PostAsync("/auth/guest", new { name = "Visitor" }));
        var b = await BackendClient.ReadAsync<SessionJson>(await second.PostAsync("/auth/guest", new { name = "Visitor" }));

        Assert.Equal("TEMP_USER", a.User.Role);
        Assert.Equal("Visitor", a.User.Username);
        Assert.NotEqual(a.User.Id, b.User.Id);
    }

    [Fact]
    public async Task Refresh_issues_a_new_token_and_rotates_the_refresh_cookie()
    {
        using var client = new BackendClient(stack.Backend);
        var signedIn = await client.SignInAsync("bob", UserStore.DemoPassword("bob"));
        var oldCookie = client.Cookies.GetAllCookies().Single().Value;

        var refreshed = await BackendClient.ReadAsync<SessionJson>(await client.PostAsync("/auth/refresh"));

        Assert.Equal(signedIn.User.Id, refreshed.User.Id);
        Assert.NotEqual(signedIn.Token, refreshed.Token);
        using var replay = new BackendClient(stack.Backend);
        replay.Cookies.Add(stack.Backend.BaseAddress, new Cookie("st_refresh", oldCookie, "/auth"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.PostAsync("/auth/refresh")).StatusCode);
    }

    [Fact]
    public async Task Config_script_points_the_widget_at_the_ticket_server()
    {
        using var client = new BackendClient(stack.Backend);

        var script = await client.Http.GetStringAsync("/config.js");

        Assert.Contains(stack.Server.BaseAddress.ToString().TrimEnd('/'), script, StringComparison.Ordinal);
    }
}
