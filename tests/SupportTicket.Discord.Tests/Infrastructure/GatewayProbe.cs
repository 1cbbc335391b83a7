using SupportTicket.Discord.Gateway;

namespace SupportTicket.Discord.Tests.Infrastructure;

/// <summary>Runs a gateway client and keeps every event it delivered, in order, for assertions.</summary>
internal sealed class GatewayProbe : IAsyncDisposable
{
    private readonly List<GatewayEvent> _events = [];
    private readonly Lock _gate = new();
    private Task _reader = Task.CompletedTask;

    private GatewayProbe(DiscordGatewayClient client) => Client = client;

    public DiscordGatewayClient Client { get; }

    /// <summary>Set when the event stream completed with an error (a fatal close code).</summary>
    public Exception? StreamError { get; private set; }

    public bool StreamCompleted { get; private set; }

    public IReadOnlyList<GatewayEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    public static GatewayProbe Start(DiscordGatewayClient client, GatewaySession? resumeFrom = null)
    {
        var probe = new GatewayProbe(client);
        client.Start(resumeFrom: resumeFrom);
        probe._reader = probe.ReadAsync();
        return probe;
    }

    public IReadOnlyList<T> Of<T>() where T : GatewayEvent => Events.OfType<T>().ToList();

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null) where T : GatewayEvent
    {
        T? found = null;
        await Eventually.UntilAsync(() => (found = Events.OfType<T>().FirstOrDefault(e => predicate?.Invoke(e) ?? true)) is not null,
            $"a {typeof(T).Name}", timeout);
        return found!;
    }

    public Task WaitForCountAsync<T>(int count, TimeSpan? timeout = null) where T : GatewayEvent =>
        Eventually.UntilAsync(() => Events.OfType<T>().Count() >= count, $"{count} × {typeof(T).Name}", timeout);

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var ev in Client.Events.ReadAllAsync())
            {
                lock (_gate)
                {
                    _events.Add(ev);
                }
            }
        }
        catch (Exception ex)
        {
            StreamError = ex;
        }

        StreamCompleted = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _reader;
    }
}
