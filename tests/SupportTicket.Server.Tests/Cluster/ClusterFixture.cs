using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>
/// The scale-out topology as real processes, started by tests/cluster/run-cluster.sh: its own PostgreSQL and Redis
/// (so stopping them disturbs no other test), two server nodes built from this test run, and nginx in front.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("st-cluster-").FullName;
    private Dictionary<string, string> _env = [];

    public const int MaxConnectionsPerUser = 2;

    /// <summary>Extra variables for run-cluster.sh and so for the nodes (set before InitializeAsync).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Uri Nginx => Port("NGINX_PORT");
    public Uri Node(int n) => Port($"NODE{n}_PORT");
    private Uri Port(string name) => new($"http://127.0.0.1:{_env[name]}");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/nginx") && !File.Exists("/usr/bin/nginx"))
            throw new InvalidOperationException("nginx is not installed: run the tests with tests/run.sh, which installs it");
        await RunAsync("up");
        _env = File.ReadAllLines(Path.Combine(_dir, "cluster.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    public async Task DisposeAsync()
    {
        await RunAsync("down");
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs a run-cluster.sh command (kill-node, stop-redis, …) on this cluster.</summary>
    public async Task RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoRoot(), "tests", "cluster", "run-cluster.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(_dir);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["SERVER_DLL"] = typeof(Program).Assembly.Location;
        start.Environment["JWT_SECRET_KEY"] = Tokens.Secret;
        // A typing window far longer than any scheduling delay, so "one per window across nodes" is an outcome, not a race.
        start.Environment["Realtime__TypingThrottleSeconds"] = "30";
        start.Environment["RateLimits__MaxHubConnectionsPerUser"] = MaxConnectionsPerUser.ToString();
        foreach (var (k, v) in Environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"run-cluster.sh {command} failed ({process.ExitCode}): {await stderr}{await stdout}\n{Logs()}");
    }

    /// <summary>The tail of both nodes' logs, for failure messages.</summary>
    public string Logs() => string.Join("\n", new[] { 1, 2 }.Select(n => Path.Combine(_dir, $"node{n}.log")).Where(File.Exists)
        .Select(f => $"--- {Path.GetFileName(f)}\n" + string.Join("\n", File.ReadLines(f).TakeLast(15))));

    public HttpClient Client(Uri node, TestUser user)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user));
        return client;
    }

    /// <summary>
    /// A customer and an agent (ids from <paramref name="name"/>): their REST clients on the nodes given, the customer's
    /// hub connection, and the agent's when <paramref name="agentHubOn"/> is set. With <paramref name="reconnect"/> the
    /// customer's connection reconnects automatically and <see cref="Conversation.Reconnected"/> completes when it has.
    /// </summary>
    public async Task<Conversation> ConversationAsync(string name, Uri customerOn, Uri agentOn, Uri? agentHubOn = null, bool reconnect = false)
    {
        var customer = TestUser.Customer("cl-cust-" + name);
        var agent = TestUser.Agent("cl-agent-" + name);
        var customerHub = await HubAsync(customerOn, customer, reconnect);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        customerHub.Connection.Reconnected += _ => { reconnected.TrySetResult(); return Task.CompletedTask; };
        var agentHub = agentHubOn is null ? null : await HubAsync(agentHubOn, agent);
        return new Conversation(customer, agent, customerHub, agentHub, Client(customerOn, customer), Client(agentOn, agent)) { Reconnected = reconnected.Task };
    }

    /// <summary>A real WebSocket hub connection (negotiate included), authorized by its access token at connect.</summary>
    public static Task<HubClient> HubAsync(Uri node, TestUser user, bool reconnect = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(node, HubClient.Path), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(Tokens.For(user));
        });
        if (reconnect) builder.WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)]);
        return ConnectAuthorizedAsync(builder);
    }

    private static async Task<HubClient> ConnectAuthorizedAsync(IHubConnectionBuilder builder)
    {
        var client = await HubClient.ConnectAsync(builder);
        await client.NextEventAsync("authorized", TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>GET /health/ready of one node (or of whichever node nginx picks): status code and body.</summary>
    public static async Task<(int Status, JsonElement Body)> ReadyAsync(Uri node)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/health/ready");
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Repeats <paramref name="check"/> until it holds; waits for outcomes instead of asserting timing.</summary>
    public static Task Eventually(Func<Task<bool>> check, TimeSpan within, string what) =>
        SupportTicket.Testing.Eventually.UntilAsync(async () =>
        {
            try { return await check(); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { return false; } // a node restarting
        }, what, within, TimeSpan.FromMilliseconds(250));

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportTicket.sln"))) return dir.FullName;
        throw new InvalidOperationException("SupportTicket.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>What <see cref="ClusterFixture.ConversationAsync"/> opened; disposing closes all of it.</summary>
public sealed record Conversation(TestUser Customer, TestUser Agent, HubClient CustomerHub, HubClient? AgentHub, HttpClient CustomerApi, HttpClient AgentApi)
    : IAsyncDisposable
{
    public required Task Reconnected { get; init; }

    public async ValueTask DisposeAsync()
    {
        await CustomerHub.DisposeAsync();
        if (AgentHub is not null) await AgentHub.DisposeAsync();
        CustomerApi.Dispose();
        AgentApi.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
