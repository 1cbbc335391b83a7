using Npgsql;

namespace SupportTicket.Server.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? DatabaseUrl { get; set; }

    public string SqlitePath { get; set; } = Path.Combine("data", "supportticket.db");

    public int MaxPoolSize { get; set; } = 24;
}

public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public string? SqliteFile { get; private init; }

    // The provider, read before the container exists because it decides which services are registered (the leader
    // lease). Only DATABASE_URL decides it; a malformed one fails here with the same line as at startup.
    public static DatabaseProvider ProviderIn(IConfiguration configuration) =>
        From(new StorageOptions { DatabaseUrl = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DatabaseUrl)}"] }).Provider;

    public static DatabaseTarget From(StorageOptions options)
    {
        var url = options.DatabaseUrl?.Trim();
        if (string.IsNullOrEmpty(url)) return Sqlite(options.SqlitePath);
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return Sqlite(url["sqlite:".Length..]);
        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Postgres, PostgresConnectionString(url, options.MaxPoolSize), DefaultDataDirectory);
        throw new ConfigurationException("DATABASE_URL must start with postgres://, postgresql:// or sqlite:");
    }

    private static string DefaultDataDirectory => Path.GetFullPath("data");

    private static DatabaseTarget Sqlite(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ConfigurationException("DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/tickets.db");
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        return new(DatabaseProvider.Sqlite, $"Data Source={full};Cache=Private;Pooling=True", directory) { SqliteFile = full };
    }

    private static string PostgresConnectionString(string url, int maxPool)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ConfigurationException("DATABASE_URL is not a valid postgres:// URL");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
            MaxPoolSize = maxPool,
            // The same few statements run all day: prepared once per connection, PostgreSQL skips their parse and
            // plan on every later run (measured in docs/performance.md). DATABASE_URL can override.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try { builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""; }
            catch (ArgumentException) { throw new ConfigurationException($"DATABASE_URL: unknown option '{kv[0]}'"); }
        }
        return builder.ConnectionString;
    }
}
