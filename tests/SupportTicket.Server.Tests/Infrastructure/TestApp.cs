using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SupportTicket.Server.Tests.Infrastructure;

public enum Store { Sqlite, Postgres }

/// <summary>
/// The real app on a throw-away database: a temp SQLite file, or a fresh database on the PostgreSQL server the
/// test script started (ST_TEST_POSTGRES_URL). Tokens are real, signed with <see cref="Tokens.Secret"/>.
/// </summary>
public class TestApp : WebApplicationFactory<Program>
{
    private readonly string? _sqliteDirectory;
    private readonly string? _postgresDatabase;
    private readonly Dictionary<string, string?> _settings = new();

    public TestApp(Store store = Store.Sqlite, IDictionary<string, string?>? settings = null)
    {
        Store = store;
        if (store == Store.Sqlite)
        {
            _sqliteDirectory = Directory.CreateTempSubdirectory("st-test-").FullName;
            DatabaseUrl = "sqlite:" + Path.Combine(_sqliteDirectory, "test.db");
        }
        else
        {
            _postgresDatabase = "st_test_" + Guid.NewGuid().ToString("N")[..12];
            DatabaseUrl = PostgresServer.CreateDatabase(_postgresDatabase);
        }
        _settings["Storage:DatabaseUrl"] = DatabaseUrl;
        _settings["Auth:SecretKey"] = Tokens.Secret;
        _settings["Serilog:MinimumLevel:Default"] = "Warning";
        // Other suites create tickets and post messages faster than the seed's limits allow; the rate-limit
        // tests switch limits back on with RateLimits:Enabled=true.
        _settings["RateLimits:Enabled"] = "false";
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public Store Store { get; }
    public string DatabaseUrl { get; }

    /// <summary>Runs raw SQL on the app's database over a connection of its own (not from the app's pool).</summary>
    public void ExecuteSql(string sql)
    {
        using System.Data.Common.DbConnection connection = Store == Store.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseUrl["sqlite:".Length..]};Pooling=False")
            : new NpgsqlConnection(SupportTicket.Server.Storage.DatabaseTarget.From(new SupportTicket.Server.Storage.StorageOptions { DatabaseUrl = DatabaseUrl }).ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Leave the database behind on Dispose, for a test that restarts the server on it.</summary>
    public bool KeepDatabase { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
    }

    /// <summary>An HttpClient that sends the given user's token.</summary>
    public HttpClient ClientFor(TestUser user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user));
        return client;
    }

    /// <summary>
    /// Serves on a real Kestrel loopback port instead of the in-memory test server, for what needs a socket (node,
    /// chunked bodies Kestrel must stop), and returns its address.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || KeepDatabase) return;
        if (_postgresDatabase is not null) PostgresServer.DropDatabase(_postgresDatabase);
        if (_sqliteDirectory is not null)
        {
            NpgsqlConnection.ClearAllPools();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDirectory, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>The PostgreSQL server started by tests/run.sh; tests that need it fail with a clear message without it.</summary>
public static class PostgresServer
{
    public const string Variable = "ST_TEST_POSTGRES_URL";

    public static string BaseUrl => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
        ? url.TrimEnd('/')
        : throw new InvalidOperationException($"{Variable} is not set: run the tests with tests/run.sh, which starts PostgreSQL and Redis");

    public static string CreateDatabase(string name)
    {
        Execute($"CREATE DATABASE {name}");
        return $"{BaseUrl}/{name}";
    }

    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        var uri = new Uri(BaseUrl);
        var user = uri.UserInfo.Split(':');
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Username = user[0], Password = user.Length > 1 ? user[1] : null,
            Database = "postgres", Pooling = false,
        }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
