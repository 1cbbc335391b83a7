using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Tests.Helpers;

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

public sealed class ServiceCollectionTests
{
    [Fact]
    public async Task AddDiscordClient_registers_one_shared_rest_client_and_a_gateway_client()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDiscordClient(o => o.Token = "t");
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<DiscordRestClient>(), provider.GetRequiredService<DiscordRestClient>());
        Assert.NotNull(provider.GetRequiredService<DiscordGatewayClient>());
    }

    [Fact]
    public void AddDiscordClient_rejects_a_missing_token()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDiscordClient();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value);
        Assert.Contains("Token", error.Message);
    }

    [Fact]
    public void AddDiscordClient_rejects_an_invalid_request_stop_beyond_Cloudflares_ban()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDiscordClient(o =>
        {
            o.Token = "t";
            o.InvalidRequestStop = 12_000;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value);
        Assert.Contains("Discord:InvalidRequestStop", error.Message);
    }
}
