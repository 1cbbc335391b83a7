using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>One bot harness per test class and store; tests use their own tickets.</summary>
public abstract class DiscordBotFixture(Store store) : IAsyncLifetime
{
    public DiscordBotHarness Bot { get; private set; } = null!;

    public async Task InitializeAsync() => Bot = await DiscordBotHarness.StartAsync(store);

    async Task IAsyncLifetime.DisposeAsync() => await Bot.DisposeAsync();
}

public sealed class SqliteDiscordBot() : DiscordBotFixture(Store.Sqlite);

public sealed class PostgresDiscordBot() : DiscordBotFixture(Store.Postgres);
