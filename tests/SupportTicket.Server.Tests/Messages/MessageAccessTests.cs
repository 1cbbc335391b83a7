using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Messages;

public abstract class MessageAccessTests(TestApp app)
{
    private async Task<(HttpClient Owner, HttpClient Agent, string Id)> Conversation()
    {
        var owner = app.ClientFor(Unique.Customer());
        var id = (await owner.CreateTicket()).Str("id");
        return (owner, app.ClientFor(Unique.Agent()), id);
    }

    [Fact]
    public async Task Owner_and_agent_exchange_messages_with_increasing_seq()
    {
        var (owner, agent, id) = await Conversation();
        var first = await owner.PostMessage(id, "My login fails");
        var second = await agent.PostMessage(id, "Try resetting your password");
        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
        Assert.Equal("AGENT", second.Str("author_role"));
        Assert.Equal("WEB", second.Str("source"));
        var ticket = await (await owner.GetAsync($"/api/v1/tickets/{id}")).Body();
        Assert.Equal(2, ticket.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Message_keeps_its_attachments()
    {
        var (owner, _, id) = await Conversation();
        var response = await owner.PostJson($"/api/v1/tickets/{id}/messages",
            new { content = "screenshot", attachments = new[] { "https://cdn.example.com/a.png", "http://example.com/b.txt" } });
        var message = await response.Body();
        Assert.Equal(["https://cdn.example.com/a.png", "http://example.com/b.txt"],
            message.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Another_customer_cannot_post_to_or_read_a_ticket()
    {
        var (_, _, id) = await Conversation();
        var stranger = app.ClientFor(Unique.Customer());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostJson($"/api/v1/tickets/{id}/messages", new { content = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/tickets/{id}/messages")).StatusCode);
    }

    [Fact]
    public async Task Customer_may_not_write_an_internal_note()
    {
        var (owner, _, id) = await Conversation();
        var response = await owner.PostJson($"/api/v1/tickets/{id}/messages", new { content = "psst", @internal = true });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Internal_note_is_hidden_from_the_customer_and_shown_to_staff()
    {
        var (owner, agent, id) = await Conversation();
        await owner.PostMessage(id, "public question");
        await agent.PostMessage(id, "customer seems angry", @internal: true);
        await agent.PostMessage(id, "public answer");
        var seen = await (await owner.GetAsync($"/api/v1/tickets/{id}/messages")).Body();
        Assert.Equal(["public question", "public answer"], seen.EnumerateArray().Select(m => m.Str("content")));
        var staff = await (await app.ClientFor(Unique.Admin()).GetAsync($"/api/v1/tickets/{id}/messages")).Body();
        Assert.Equal(3, staff.GetArrayLength());
        Assert.True(staff[1].GetProperty("internal").GetBoolean());
    }

    [Fact]
    public async Task Customer_cannot_edit_or_delete_an_internal_note_they_cannot_see()
    {
        var (owner, agent, id) = await Conversation();
        var note = await agent.PostMessage(id, "note", @internal: true);
        var url = $"/api/v1/tickets/{id}/messages/{note.Str("id")}";
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PatchJson(url, new { content = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Posting_to_a_closed_ticket_is_a_conflict()
    {
        var (owner, _, id) = await Conversation();
        await owner.PostAsync($"/api/v1/tickets/{id}/close", null);
        var response = await owner.PostJson($"/api/v1/tickets/{id}/messages", new { content = "anyone?" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("CONFLICT", (await response.Body()).Str("error"));
    }

    [Fact]
    public async Task Author_edits_their_message()
    {
        var (owner, _, id) = await Conversation();
        var message = await owner.PostMessage(id, "typo hre");
        var response = await owner.PatchJson($"/api/v1/tickets/{id}/messages/{message.Str("id")}", new { content = "typo here" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = await response.Body();
        Assert.Equal("typo here", edited.Str("content"));
        Assert.Equal(message.GetProperty("seq").GetInt64(), edited.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Staff_may_not_edit_a_customers_message()
    {
        var (owner, agent, id) = await Conversation();
        var message = await owner.PostMessage(id, "mine");
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchJson($"/api/v1/tickets/{id}/messages/{message.Str("id")}", new { content = "x" })).StatusCode);
    }

    [Fact]
    public async Task Staff_delete_a_customers_message_but_a_customer_cannot_delete_staffs()
    {
        var (owner, agent, id) = await Conversation();
        var fromCustomer = await owner.PostMessage(id, "oops, my password is hunter2");
        var fromAgent = await agent.PostMessage(id, "please don't share passwords");
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.DeleteAsync($"/api/v1/tickets/{id}/messages/{fromAgent.Str("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{id}/messages/{fromCustomer.Str("id")}")).StatusCode);
        var left = await (await owner.GetAsync($"/api/v1/tickets/{id}/messages")).Body();
        Assert.Equal(["please don't share passwords"], left.EnumerateArray().Select(m => m.Str("content")));
    }

    [Fact]
    public async Task A_deleted_seq_is_never_reused()
    {
        var (owner, _, id) = await Conversation();
        var first = await owner.PostMessage(id, "one");
        await owner.DeleteAsync($"/api/v1/tickets/{id}/messages/{first.Str("id")}");
        var next = await owner.PostMessage(id, "two");
        Assert.Equal(2, next.GetProperty("seq").GetInt64());
    }
}

public sealed class SqliteMessageAccessTests(SqliteApp app) : MessageAccessTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresMessageAccessTests(PostgresApp app) : MessageAccessTests(app), IClassFixture<PostgresApp>;
