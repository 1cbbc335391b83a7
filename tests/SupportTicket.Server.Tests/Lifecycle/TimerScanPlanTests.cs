using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static System.FormattableString;

namespace SupportTicket.Server.Tests.Lifecycle;

/// <summary>
/// Issue #30, target 5: the timer scans cost O(due tickets), not O(open tickets). Over 100,000 open tickets seeded by
/// the bench's own script (tests/bench/seed-tickets.sql, a few dozen already due) and ANALYZE, one round of the timer
/// service runs; every due-time scan it sent (the page of due rows and the earliest-due probe, per timer kind) is
/// explained with the values it was sent with, and must read its due column's index, never the whole table. The plans
/// are printed (docs/performance.md shows them).
/// </summary>
public abstract class TimerScanPlanTests(Store store, ITestOutputHelper output)
{
    private const int OpenTickets = 100_000;

    [Fact]
    public async Task Every_due_time_scan_of_the_timer_service_reads_its_index_not_the_table()
    {
        using var app = new RecordingLifecycleApp(store);
        _ = app.Services;
        await SeedAsync(app, OpenTickets, firstDueIn: -30, spread: 86_400);

        app.Recorder.Recording = true;
        await app.RoundAsync();
        app.Recorder.Recording = false;

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var column in TicketTimers.DueColumns.Select(c => db.Model.FindEntityType(typeof(SupportTicket.Server.Tickets.Ticket))!.FindProperty(c)!.GetColumnName()))
        {
            // Partial (migration 20261207000700): a ticket without this due time has no entry to maintain.
            var definition = await db.Database.SqlQueryRaw<string>(store == Store.Postgres
                ? "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = {0}"
                : "SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name = {0}", "ix_tickets_" + column).SingleAsync();
            Assert.Contains($"{column} IS NOT NULL", definition.Replace("(", "").Replace(")", ""), StringComparison.OrdinalIgnoreCase);
            var scans = app.Recorder.Commands.Where(c => Regex.IsMatch(c.Text, $@"ORDER BY ""?\w+""?\.""?{column}""?\s")).DistinctBy(c => c.Text).ToList();
            Assert.True(scans.Count == 2, $"expected the due page and the earliest-due probe of {column}, saw {scans.Count} statements");
            foreach (var scan in scans)
            {
                foreach (var plan in await QueryPlans.ExplainAsync(db, scan))
                {
                    output.WriteLine($"--- {column} ({plan.Kind} plan)\n{scan.Text}\n{string.Join(", ", scan.Parameters.Select(p => $"{p.Name}={p.Value}"))}\n{plan.Text}\n");
                    Assert.DoesNotContain(plan.Scans, s => s.StartsWith("Seq Scan", StringComparison.Ordinal) || s.StartsWith("SCAN ", StringComparison.Ordinal));
                    Assert.Contains("ix_tickets_" + column, plan.Indexes);
                    Assert.DoesNotContain("TEMP B-TREE", plan.Text, StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>The bench's seed script, as run-bench.sh runs it, with due times from the app's clock.</summary>
    public static async Task SeedAsync(LifecycleApp app, int count, long firstDueIn, long spread)
    {
        var sql = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Lifecycle", "seed-tickets.sql")))
            .Replace("@COUNT@", Invariant($"{count}")).Replace("@NOW@", Invariant($"{app.Now}"))
            .Replace("@FIRST@", Invariant($"{firstDueIn}")).Replace("@SPREAD@", Invariant($"{spread}"));
        if (app.Store == Store.Postgres) sql = sql.Replace("\n--pg ", "\n");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await db.Database.ExecuteSqlRawAsync(sql);
        Assert.Equal(count, await db.Tickets.CountAsync(t => t.Status != "CLOSED"));
    }

    /// <summary>The lifecycle app with a <see cref="SqlRecorder"/> on its database context.</summary>
    private sealed class RecordingLifecycleApp(Store store) : LifecycleApp(store)
    {
        public SqlRecorder Recorder { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(Recorder)));
        }
    }
}

public sealed class SqliteTimerScanPlanTests(ITestOutputHelper output) : TimerScanPlanTests(Store.Sqlite, output);

public sealed class PostgresTimerScanPlanTests(ITestOutputHelper output) : TimerScanPlanTests(Store.Postgres, output);
