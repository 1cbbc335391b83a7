using System.Diagnostics;
using System.Text.Json;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>docker-compose.yml and the Dockerfile describe the topology the cluster tests run (no engine needed).</summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = ClusterFixture.RepoRoot();

    [Fact]
    public async Task Docker_compose_config_accepts_the_file_with_two_replicas_nginx_postgres_and_redis_all_health_checked()
    {
        var (code, yaml, error) = await RunAsync(ComposeCommand("config"), new() { ["JWT_SECRET_KEY"] = new string('k', 40), ["POSTGRES_PASSWORD"] = "pw" });
        Assert.True(code == 0, $"docker compose config failed: {error}");
        var config = YamlToJson(yaml);
        var services = config.GetProperty("services");
        Assert.Equal(["nginx", "postgres", "redis", "server1", "server2"], services.EnumerateObject().Select(p => p.Name).Order().ToArray());
        foreach (var service in services.EnumerateObject())
            Assert.True(service.Value.TryGetProperty("healthcheck", out _), $"{service.Name} has no health check");
        foreach (var name in new[] { "server1", "server2" })
        {
            var env = services.GetProperty(name).GetProperty("environment");
            Assert.Equal("redis://redis:6379", env.GetProperty("REDIS_URL").GetString());
            Assert.StartsWith("postgres://supportticket:pw@postgres:5432/", env.GetProperty("DATABASE_URL").GetString());
            Assert.Equal(name, env.GetProperty("NODE_NAME").GetString());
            foreach (var seedName in new[] { "JWT_SECRET_KEY", "SERVER_MODE", "WEB_SERVER_PORT", "DISCORD_BOT_TOKEN", "GUILD_ID", "KNOWN_PROXIES" })
                Assert.True(env.TryGetProperty(seedName, out _), $"{name} lacks {seedName}");
        }
        Assert.True(config.GetProperty("volumes").TryGetProperty("postgres-data", out _));
        var nginxConf = await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "nginx.conf"));
        Assert.Contains("server server1:8080", nginxConf);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade", nginxConf);
    }

    [Fact]
    public async Task Docker_compose_config_refuses_to_run_without_the_jwt_secret()
    {
        var (code, _, error) = await RunAsync(ComposeCommand("config"), new() { ["POSTGRES_PASSWORD"] = "pw" });
        Assert.NotEqual(0, code);
        Assert.Contains("JWT_SECRET_KEY", error);
    }

    [Fact]
    public void The_Dockerfile_builds_in_a_separate_stage_and_runs_as_a_non_root_user()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user);
        Assert.True(Array.LastIndexOf(lines, user) > Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    /// <summary>`docker compose` (the CLI plugin tests/run.sh provides) or, without a docker CLI, `docker-compose`.</summary>
    private static string[] ComposeCommand(params string[] args) =>
        File.Exists("/usr/local/bin/docker") || File.Exists("/usr/bin/docker") ? ["docker", "compose", .. args] : ["docker-compose", .. args];

    private static JsonElement YamlToJson(string yaml)
    {
        var start = new ProcessStartInfo("python3", ["-c", "import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"])
        { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        return JsonDocument.Parse(process.StandardOutput.ReadToEnd()).RootElement.Clone();
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] command, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        foreach (var name in new[] { "JWT_SECRET_KEY", "POSTGRES_PASSWORD" }) start.Environment.Remove(name);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout, await stderr);
    }
}
