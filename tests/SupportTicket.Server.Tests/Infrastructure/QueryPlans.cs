using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The plan a database makes for a recorded statement, with the values it was sent with. PostgreSQL gives two: the
/// custom plan (EXPLAIN (FORMAT JSON) with the values) and the generic plan a prepared statement switches to after
/// five executions (the server auto-prepares, Storage/DatabaseTarget.cs), from PREPARE and EXPLAIN EXECUTE under
/// plan_cache_mode = force_generic_plan. SQLite gives the rows of EXPLAIN QUERY PLAN.
/// </summary>
public static class QueryPlans
{
    public sealed record Plan(string Kind, string Text, IReadOnlyList<string> Scans, IReadOnlyList<string> Indexes);

    public static async Task<List<Plan>> ExplainAsync(DbContext db, RecordedSql sql)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            if (!db.Database.IsNpgsql()) return [Sqlite(await RowsAsync(connection, "EXPLAIN QUERY PLAN " + sql.Text, sql, 3))];
            var custom = Postgres("custom", string.Concat(await RowsAsync(connection, "EXPLAIN (FORMAT JSON) " + sql.Text, sql, 0)));
            return [custom, await GenericAsync(connection, sql)];
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<Plan> GenericAsync(DbConnection connection, RecordedSql sql)
    {
        // Longest names first, so @p does not eat the start of @p1.
        var text = sql.Text;
        var ordered = sql.Parameters.Select((p, i) => (p.Name, i)).OrderByDescending(p => p.Name.Length);
        foreach (var (name, i) in ordered)
            text = Regex.Replace(text, Regex.Escape(name.StartsWith('@') ? name : "@" + name) + @"\b", "$" + (i + 1));
        var values = string.Join(", ", sql.Parameters.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
        await RowsAsync(connection, "SET plan_cache_mode = force_generic_plan", null, 0);
        await RowsAsync(connection, "PREPARE st_plan_probe AS " + text, null, 0);
        try
        {
            return Postgres("generic", string.Concat(await RowsAsync(connection, $"EXPLAIN (FORMAT JSON) EXECUTE st_plan_probe({values})", null, 0)));
        }
        finally
        {
            await RowsAsync(connection, "DEALLOCATE st_plan_probe", null, 0);
            await RowsAsync(connection, "RESET plan_cache_mode", null, 0);
        }
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string text, RecordedSql? sql, int column)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, type, value) in sql?.Parameters ?? [])
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.DbType, parameter.Value) = (name, type, value ?? DBNull.Value);
            command.Parameters.Add(parameter);
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetValue(column).ToString() ?? "");
        return rows;
    }

    private static Plan Sqlite(List<string> details) => new("sqlite", string.Join("\n", details),
        details.Where(d => d.StartsWith("SCAN ", StringComparison.Ordinal) || d.StartsWith("SEARCH ", StringComparison.Ordinal)).ToList(),
        details.Select(d => Regex.Match(d, @"USING (?:COVERING )?INDEX (\w+)")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList());

    private static Plan Postgres(string kind, string json)
    {
        var nodes = new List<JsonElement>();
        void Walk(JsonElement node)
        {
            nodes.Add(node);
            if (node.TryGetProperty("Plans", out var children)) foreach (var child in children.EnumerateArray()) Walk(child);
        }
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement[0].GetProperty("Plan"));
        string Get(JsonElement n, string name) => n.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
        return new(kind, Indent(json),
            nodes.Where(n => Get(n, "Relation Name") != "" || Get(n, "Index Name") != "")
                .Select(n => $"{Get(n, "Node Type")} {Get(n, "Relation Name")} {Get(n, "Index Name")}".Trim()).ToList(),
            nodes.Select(n => Get(n, "Index Name")).Where(i => i != "").ToList());
    }

    private static string Indent(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true });
}
