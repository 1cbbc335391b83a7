namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>One app per test class and store; tests inside use their own users so they never see each other.</summary>
public sealed class SqliteApp() : TestApp(Store.Sqlite);

public sealed class PostgresApp() : TestApp(Store.Postgres);

public static class Unique
{
    public static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
    public static TestUser Customer() => TestUser.Customer(Id("cust"));
    public static TestUser Guest() => TestUser.Guest(Id("guest"));
    public static TestUser Agent() => TestUser.Agent(Id("agent"));
    public static TestUser Admin() => TestUser.Admin(Id("admin"));
}
