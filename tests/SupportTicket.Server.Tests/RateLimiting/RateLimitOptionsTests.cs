using Microsoft.Extensions.Configuration;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class RateLimitOptionsTests
{
    private static RateLimitOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new RateLimitOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options);
        return options;
    }

    [Fact]
    public void A_role_override_alone_keeps_the_policy_seed_limit_and_window()
    {
        var options = Bind(new() { ["Policies:GetTicket:Roles:agent"] = "120" });

        var policy = options.Policies["GetTicket"];
        Assert.Equal(30, policy.PermitLimit);
        Assert.Equal(60, policy.WindowSeconds);
        Assert.Equal(120, policy.LimitFor("AGENT"));
        Assert.Equal(30, policy.LimitFor("CUSTOMER"));
    }

    [Fact]
    public void Policy_names_in_configuration_are_case_insensitive()
    {
        var options = Bind(new() { ["Policies:createticket:PermitLimit"] = "7" });

        Assert.Equal(7, options.Policies["CreateTicket"].PermitLimit);
    }

    [Fact]
    public void A_zero_permit_limit_is_refused_with_a_line_naming_the_setting()
    {
        var options = Bind(new() { ["Policies:CreateTicket:PermitLimit"] = "0" });

        var result = new RateLimitOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal("RateLimits:Policies:CreateTicket:PermitLimit must be at least 1", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("MaxAttachmentDownloadsPerAddress")]
    [InlineData("MaxAttachmentDownloads")]
    public void A_negative_download_cap_is_refused_with_a_line_naming_the_setting(string setting)
    {
        var options = Bind(new() { [setting] = "-1" });

        var result = new RateLimitOptionsValidator().Validate(null, options);

        Assert.Equal($"RateLimits:{setting} must be 0 (off) or more", Assert.Single(result.Failures!));
    }
}

public sealed class RedisUrlTests
{
    [Theory]
    [InlineData("redis://cache:6380/2", "cache:6380", null, 2)]
    [InlineData("redis://:s3cret@cache", "cache:6379", "s3cret", null)]
    [InlineData("127.0.0.1:6390", "127.0.0.1:6390", null, null)]
    public void Redis_url_accepts_redis_urls_and_host_port(string url, string endpoint, string? password, int? database)
    {
        var options = RateLimitRedis.Parse(url);

        Assert.Equal(endpoint, Assert.Single(options.EndPoints).ToString()!.Replace("Unspecified/", ""));
        Assert.Equal(password, options.Password);
        Assert.Equal(database, options.DefaultDatabase);
    }

    [Fact]
    public void A_malformed_redis_url_is_refused_naming_the_setting()
    {
        var failure = Assert.Throws<SupportTicket.Server.ConfigurationException>(() => RateLimitRedis.Parse("http://cache:6379"));

        Assert.StartsWith("REDIS_URL must look like", failure.Message);
    }
}
