using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Hosting;

/// <summary>A bad setting stops the server at startup with one line that names it, never a stack trace.</summary>
public sealed class StartupConfigurationTests
{
    private static Task AssertRefuses(Dictionary<string, string> environment, string setting) =>
        ServerProcess.AssertRefusesAsync(environment, setting);

    [Fact]
    public Task Production_without_a_secret_refuses_to_start() =>
        AssertRefuses(new() { ["SERVER_MODE"] = "PRODUCTION" }, "JWT_SECRET_KEY");

    [Fact]
    public Task Secret_shorter_than_32_bytes_refuses_to_start() =>
        AssertRefuses(new() { ["SERVER_MODE"] = "PRODUCTION", ["JWT_SECRET_KEY"] = "too-short" }, "JWT_SECRET_KEY");

    [Fact]
    public Task Unknown_database_url_scheme_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["DATABASE_URL"] = "mysql://db/tickets" }, "DATABASE_URL");

    [Fact]
    public Task Unreachable_database_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/none" }, "DATABASE_URL");

    [Fact]
    public Task Port_out_of_range_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["WEB_SERVER_PORT"] = "70000" }, "WEB_SERVER_PORT");

    [Fact]
    public Task Known_proxies_that_are_not_addresses_refuse_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["KNOWN_PROXIES"] = "10.0.0.1,proxy.internal" }, "KNOWN_PROXIES");

    [Fact]
    public Task Unknown_server_mode_refuses_to_start() =>
        AssertRefuses(new() { ["SERVER_MODE"] = "STAGING" }, "SERVER_MODE");

    [Fact]
    public Task Cors_origin_wildcard_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["CORS_ALLOWED_ORIGINS"] = "*" }, "CORS_ALLOWED_ORIGINS");

    [Fact]
    public Task Cors_origin_with_a_path_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["CORS_ALLOWED_ORIGINS"] = "https://shop.example.com/widget" }, "CORS_ALLOWED_ORIGINS");

    [Fact]
    public Task Negative_clock_skew_refuses_to_start() =>
        AssertRefuses(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["Auth__ClockSkewSeconds"] = "-5" }, "Auth:ClockSkewSeconds");

    private static Dictionary<string, string> WithKey(Dictionary<string, string> key)
    {
        var environment = new Dictionary<string, string>
        {
            ["JWT_SECRET_KEY"] = Tokens.Secret, ["Auth__Keys__0__Kid"] = "partner", ["Auth__Keys__0__Secret"] = "the-partner-backend-secret-of-32-bytes!!",
        };
        foreach (var (k, v) in key) environment[k] = v;
        return environment;
    }

    [Fact]
    public Task A_key_with_an_issuer_but_no_roles_refuses_to_start() =>
        AssertRefuses(WithKey(new() { ["Auth__Keys__0__Issuer"] = "partner" }), "Auth:Keys:0:Roles is required when Auth:Keys:0:Issuer is set");

    [Fact]
    public Task A_key_with_roles_but_no_issuer_refuses_to_start() =>
        AssertRefuses(WithKey(new() { ["Auth__Keys__0__Roles"] = "CUSTOMER" }), "Auth:Keys:0:Issuer is required when Auth:Keys:0:Roles is set");

    [Fact]
    public Task Two_keys_with_one_kid_refuse_to_start() =>
        AssertRefuses(WithKey(new() { ["Auth__Keys__1__Kid"] = "partner", ["Auth__Keys__1__Secret"] = "another-partner-backend-secret-of-32-bytes" }),
            "Auth:Keys:1:Kid 'partner' is already used");

    [Fact]
    public async Task Token_command_prints_one_token_signed_with_the_configured_key()
    {
        var (exitCode, stdout, _) = await ServerProcess.RunAsync(
            new() { ["SERVER_MODE"] = "PRODUCTION", ["JWT_SECRET_KEY"] = Tokens.Secret },
            "token", "--role", "AGENT", "--id", "a1", "--username", "ann");
        Assert.Equal(0, exitCode);
        var token = Assert.Single(stdout.Trim().Split('\n'));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = Tokens.Key, ValidateIssuer = false, ValidateAudience = false,
        });
        Assert.True(result.IsValid);
        Assert.Equal("AGENT", result.Claims["role"]);
        Assert.Equal("a1", result.Claims["id"]);
        Assert.Equal("ann", result.Claims["username"]);
    }

    [Fact]
    public async Task Development_mode_without_a_secret_keeps_a_generated_key_beside_the_database()
    {
        var dir = Directory.CreateTempSubdirectory("st-dev-").FullName;
        var environment = new Dictionary<string, string> { ["SERVER_MODE"] = "DEVELOPMENT", ["DATABASE_URL"] = $"sqlite:{dir}/tickets.db" };
        var first = await ServerProcess.RunAsync(environment, "token", "--role", "CUSTOMER");
        var second = await ServerProcess.RunAsync(environment, "token", "--role", "CUSTOMER");
        Assert.Equal(0, first.ExitCode);
        var keyFile = Path.Combine(dir, "jwt-development.key");
        Assert.True(File.Exists(keyFile));
        var key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(keyFile).Trim()));
        foreach (var token in new[] { first.Stdout.Trim(), second.Stdout.Trim() })
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                IssuerSigningKey = key, ValidateIssuer = false, ValidateAudience = false,
            });
            Assert.True(result.IsValid);
        }
        Directory.Delete(dir, recursive: true);
    }
}
