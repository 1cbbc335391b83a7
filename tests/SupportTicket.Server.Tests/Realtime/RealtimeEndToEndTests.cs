using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>The real app on a loopback port, for clients that need a real socket.</summary>
public class KestrelApp : TestApp
{
    public KestrelApp() : this([]) { }

    protected KestrelApp(Dictionary<string, string?> settings)
        : base(Store.Sqlite, new Dictionary<string, string?>(settings) { ["urls"] = "http://127.0.0.1:0" }) => BaseUrl = StartOnLoopback();

    public Uri BaseUrl { get; }

    /// <summary>A real HttpClient to the real port (<see cref="TestApp.ClientFor"/> targets the default base address).</summary>
    public HttpClient RestFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(user));
        return client;
    }
}

/// <summary>Kestrel running socket continuations inline (Server:UnsafePreferInlineScheduling).</summary>
public sealed class InlineKestrelApp() : KestrelApp(new() { ["Server:UnsafePreferInlineScheduling"] = "true" });

/// <summary>The seed's flow with the official @microsoft/signalr client, run by node against the real server.</summary>
public sealed class RealtimeEndToEndTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Official_signalr_client_receives_message_edit_delete_and_close_made_by_another_user() => SeedFlow(app);

    internal static async Task SeedFlow(KestrelApp app)
    {
        var owner = Unique.Customer();
        using var agent = app.RestFor(Unique.Agent());
        using var ownerRest = app.RestFor(owner);
        var ticketId = (await ownerRest.CreateTicket()).Str("id");
        await NodeScripts.EnsureInstalledAsync();
        using var node = NodeScripts.Start("seed-flow.mjs", new Uri(app.BaseUrl, HubClient.Path).ToString(), Tokens.For(owner));

        Assert.Equal("authorized", (await node.NextAsync(Timeout)).Event);
        var posted = await agent.PostMessage(ticketId, "Hello from support");
        var messageId = posted.Str("id");
        await agent.PatchJson($"/api/v1/tickets/{ticketId}/messages/{messageId}", new { content = "Hello from the support team" });
        await agent.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{messageId}");
        await agent.PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "Solved" });

        var events = new List<(string Event, JsonElement Data)>();
        for (var i = 0; i < 4; i++) events.Add(await node.NextAsync(Timeout));
        Assert.Equal(["message", "edit_message", "delete_message", "ticket_closed"], events.Select(e => e.Event));
        Assert.Equal(("Hello from support", 1L), (events[0].Data.Str("content"), events[0].Data.GetProperty("seq").GetInt64()));
        Assert.Equal("Hello from the support team", events[1].Data.Str("content"));
        Assert.Equal(messageId, events[2].Data.Str("id"));
        Assert.Equal(("CLOSED", ticketId), (events[3].Data.Str("status"), events[3].Data.Str("id")));
        Assert.Equal(0, await node.ExitCodeAsync(Timeout));
    }
}

/// <summary>The same flow with Kestrel's inline scheduling on, as the benchmark measured it.</summary>
public sealed class InlineSchedulingEndToEndTests(InlineKestrelApp app) : IClassFixture<InlineKestrelApp>
{
    [Fact]
    public async Task The_seed_flow_works_with_socket_continuations_run_inline()
    {
        var transport = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<
            Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>>().Value;
        Assert.True(transport.UnsafePreferInlineScheduling);
        await RealtimeEndToEndTests.SeedFlow(app);
    }
}

/// <summary>Runs the node scripts in tests/SupportTicket.Server.Tests/node; installs their packages on a fresh machine.</summary>
internal static class NodeScripts
{
    public static string Directory { get; } = NpmFolder.Find("node");

    public static Task EnsureInstalledAsync() =>
        NpmFolder.EnsureInstalledAsync(Directory, Path.Combine("node_modules", "@microsoft", "signalr"));

    public static NodeProcess Start(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("node could not be started"));
    }
}

/// <summary>A node script that prints one JSON object per line ({"event", "data"}).</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task<string> _stderr;

    public NodeProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) _lines.Writer.TryWrite(line);
            _lines.Writer.TryComplete();
        });
    }

    public async Task<(string Event, JsonElement Data)> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string line;
        try { line = await _lines.Reader.ReadAsync(cts.Token); }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new InvalidOperationException($"node printed nothing more; stderr: {(_stderr.IsCompleted ? await _stderr : "(running)")}");
        }
        var json = JsonDocument.Parse(line).RootElement.Clone();
        return (json.Str("event"), json.GetProperty("data"));
    }

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
