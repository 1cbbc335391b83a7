using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Discord.Tests;

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
