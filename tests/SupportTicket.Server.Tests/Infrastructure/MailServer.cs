using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SupportTicket.Testing;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The smtp4dev that tests/run.sh started (ST_TEST_SMTP, ST_TEST_IMAP, ST_TEST_SMTP4DEV_API): mail the server sends
/// is read back through its HTTP API; every test addresses its own unique recipients, so tests share one inbox.
/// </summary>
public static class MailServer
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? v : throw new InvalidOperationException($"{name} is not set: run the tests with tests/run.sh, which starts smtp4dev");

    public static (string Host, int Port) Smtp => Split(Env("ST_TEST_SMTP"));
    public static (string Host, int Port) Imap => Split(Env("ST_TEST_IMAP"));
    private static string Api => Env("ST_TEST_SMTP4DEV_API").TrimEnd('/');

    private static (string, int) Split(string hostPort) => (hostPort[..hostPort.LastIndexOf(':')], int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..]));

    /// <summary>Every mail that arrived for <paramref name="address"/>, parsed, oldest first.</summary>
    public static async Task<List<MimeMessage>> MailsToAsync(string address)
    {
        var list = JsonDocument.Parse(await Http.GetStringAsync($"{Api}/api/messages?pageSize=100000")).RootElement.GetProperty("results");
        var mails = new List<MimeMessage>();
        foreach (var m in list.EnumerateArray())
        {
            if (!m.GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetString(), address, StringComparison.OrdinalIgnoreCase))) continue;
            await using var raw = await Http.GetStreamAsync($"{Api}/api/messages/{m.GetProperty("id").GetString()}/raw");
            mails.Add(await MimeMessage.LoadAsync(raw));
        }
        return mails.OrderBy(m => m.Date).ToList();
    }

    /// <summary>Sends a mail to smtp4dev, which also files it in its IMAP mailbox: how a customer's reply reaches the reader.</summary>
    public static async Task SendAsync(MimeMessage mail)
    {
        using var smtp = new MailKit.Net.Smtp.SmtpClient();
        await smtp.ConnectAsync(Smtp.Host, Smtp.Port, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(mail);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>The settings of a server whose mail goes to smtp4dev (and, with <paramref name="replies"/>, reads its IMAP).</summary>
    public static Dictionary<string, string?> Settings(bool replies = false, int? smtpPort = null, string? replyAddress = null) => new()
    {
        ["Email:Smtp:Host"] = Smtp.Host,
        ["Email:Smtp:Port"] = (smtpPort ?? Smtp.Port).ToString(),
        ["Email:Smtp:Security"] = "None",
        ["Email:From"] = "Support <support@st-test.example>",
        ["Email:ReplyAddress"] = replyAddress ?? $"support-{Guid.NewGuid():N}@st-test.example",
        ["Email:PublicBaseUrl"] = "http://st.example",
        ["Email:ConversationUrlTemplate"] = "https://shop.example/help?ticket={ticket_id}",
        ["Email:ReplyDelaySeconds"] = "120",
        ["Email:PollSeconds"] = "5",
        ["Email:Imap:Host"] = replies ? Imap.Host : null,
        ["Email:Imap:Port"] = replies ? Imap.Port.ToString() : null,
        ["Email:Imap:Security"] = "None",
        // smtp4dev's IMAP takes any login but wants one.
        ["Email:Imap:User"] = replies ? "support" : null,
        ["Email:Imap:Password"] = replies ? "any" : null,
    };
}

/// <summary>The app with mail to smtp4dev, on a clock the test moves (the reply delay, the retries).</summary>
public class MailApp(Store store, IDictionary<string, string?> settings) : TestApp(store, settings)
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Moves the clock in poll-sized steps until <paramref name="done"/> holds (real time bounded, no sleeps for the rule itself).</summary>
    public async Task<T> AdvanceUntilAsync<T>(Func<Task<T?>> done, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (await done() is { } value) return value;
            Clock.Advance(step);
            await Task.Delay(100);
        }
        throw new TimeoutException("The condition did not hold while the clock moved on");
    }
}

/// <summary>A TCP port that refuses connections until <see cref="Up"/> forwards it to the real SMTP server.</summary>
public sealed class SwitchableForward : IDisposable
{
    private TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();

    public int Port { get; } = FreeTcpPort.Pick();

    public void Up(int target)
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using var c = client;
                    using var server = new TcpClient();
                    await server.ConnectAsync(IPAddress.Loopback, target);
                    await Task.WhenAny(c.GetStream().CopyToAsync(server.GetStream()), server.GetStream().CopyToAsync(c.GetStream()));
                });
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
    }
}
