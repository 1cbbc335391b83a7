using System.Text.Json;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Tests.Json;

public sealed class JsonTests
{
    [Fact]
    public void Snowflakes_and_permission_bits_are_written_as_strings_in_snake_case()
    {
        var json = JsonSerializer.Serialize(new PermissionOverwrite(1234567890123456789, 1, Allow: 1024), DiscordJson.Options);

        Assert.Equal("""{"id":"1234567890123456789","type":1,"allow":"1024","deny":"0"}""", json);
    }

    [Fact]
    public void Snowflakes_are_read_from_strings_and_numbers()
    {
        var user = JsonSerializer.Deserialize<DiscordUser>("""{"id":"42","username":"x","bot":true}""", DiscordJson.Options)!;
        var other = JsonSerializer.Deserialize<DiscordUser>("""{"id":43}""", DiscordJson.Options)!;

        Assert.Equal(42UL, user.Id);
        Assert.Equal(43UL, other.Id);
    }

    [Fact]
    public void Messages_always_carry_an_empty_mention_parse_list()
    {
        var json = JsonSerializer.Serialize(new CreateMessageRequest { Content = "@everyone" }, DiscordJson.Options);

        Assert.Contains("\"allowed_mentions\":{\"parse\":[]}", json);
    }
}
