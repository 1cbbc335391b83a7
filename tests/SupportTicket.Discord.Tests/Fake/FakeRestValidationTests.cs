using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Fake;

/// <summary>The fake must reject what Discord rejects, so that wire-format mistakes in the client fail the tests.</summary>
public sealed class FakeRestValidationTests
{
    [Fact]
    public async Task A_numeric_snowflake_is_rejected_with_50035()
    {
        await using var h = await Harness.StartAsync();

        var (status, body) = await PostAsync(h, $"/guilds/{h.Fake.GuildId}/channels", $$"""{"name":"t","parent_id":{{h.Fake.GeneralCategoryId}}}""");

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (status, body["code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_request_without_a_DiscordBot_user_agent_is_refused()
    {
        await using var h = await Harness.StartAsync();

        var (status, _) = await PostAsync(h, $"/channels/{h.Fake.GeneralTextChannelId}/messages", """{"content":"x"}""", userAgent: "curl/8");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task A_body_without_a_json_content_type_is_rejected_with_50035()
    {
        await using var h = await Harness.StartAsync();

        var (status, body) = await PostAsync(h, $"/channels/{h.Fake.GeneralTextChannelId}/messages", """{"content":"x"}""", mediaType: "text/plain");

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (status, body["code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_missing_bot_token_is_rejected_with_401()
    {
        await using var h = await Harness.StartAsync();

        var (status, body) = await PostAsync(h, $"/channels/{h.Fake.GeneralTextChannelId}/messages", """{"content":"x"}""", token: null);

        Assert.Equal((HttpStatusCode.Unauthorized, 0), (status, body["code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Every_response_carries_the_five_rate_limit_headers()
    {
        await using var h = await Harness.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, h.Fake.ApiBaseUrl + "/gateway/bot");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bot {h.Fake.Options.Token}");
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (test, 1)");

        using var response = await http.SendAsync(request);

        foreach (var header in new[] { "Limit", "Remaining", "Reset", "Reset-After", "Bucket" })
        {
            Assert.True(response.Headers.Contains($"X-RateLimit-{header}"), header);
        }
    }

    private static async Task<(HttpStatusCode, JsonNode)> PostAsync(
        Harness h, string path, string json, string userAgent = "DiscordBot (test, 1)", string mediaType = "application/json", string? token = "")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, h.Fake.ApiBaseUrl + path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType)),
        };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bot {h.Fake.Options.Token}");
        }

        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
