using System.Diagnostics;
using System.Text.Json;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Hosting;

/// <summary>
/// The OpenAPI document, linted by Redocly's CLI from npm (tests/SupportTicket.Server.Tests/openapi, installed with
/// npm ci on first use) with its strict recommended rules, plus what a linter cannot know: every API operation
/// documents its success body and its errors with the error body.
/// </summary>
public sealed class OpenApiLintTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task The_document_passes_redocly_lint()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("st-openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json"));
        var directory = await EnsureInstalledAsync();

        var start = new ProcessStartInfo(Path.Combine(directory, "node_modules", ".bin", "redocly"))
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        foreach (var arg in new[] { "lint", file, "--config", Path.Combine(directory, "redocly.yaml"), "--format", "stylish" })
            start.ArgumentList.Add(arg);
        using var lint = Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.True(lint.ExitCode == 0, $"redocly lint failed:\n{await output}\n{await errors}");
    }

    [Fact]
    public async Task Every_api_operation_documents_its_body_its_errors_with_the_error_body_and_the_bearer_scheme()
    {
        var doc = await (await app.Anonymous().GetAsync("/swagger/v1/swagger.json")).Body();
        var operations = doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/"))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();

        Assert.Equal(49, operations.Count);
        foreach (var (path, method, operation) in operations)
        {
            var where = $"{method} {path}";
            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            // One success status, or two where the route gives both (revoke: 201 created, 204 already revoked).
            var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.InRange(successes.Count, 1, 2);
            foreach (var success in successes.Where(s => s.Key != "204"))
                Assert.True(success.Value.TryGetProperty("content", out _), $"{where}: {success.Key} has no schema");
            foreach (var status in new[] { "401", "429", "500", "503" })
                Assert.True(responses.ContainsKey(status), $"{where}: {status} missing");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.Equal("#/components/schemas/ApiError",
                    response.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
            // Actions named by their path take no body: reopen, retry or discard an outbox row, and the webhook
            // actions rotate-secret, ping and redeliver.
            string[] bodyless = ["/reopen", "/retry", "/discard", "/rotate-secret", "/ping", "/redeliver", "/accept", "/decline", "/unsubscribe"];
            if (method is "post" or "patch" && !bodyless.Any(path.EndsWith))
                Assert.True(operation.TryGetProperty("requestBody", out _), $"{where}: no request body");
        }
        var error = doc.GetProperty("components").GetProperty("schemas").GetProperty("ApiError").GetProperty("properties");
        Assert.True(error.TryGetProperty("error", out _) && error.TryGetProperty("message", out _) && error.TryGetProperty("errors", out _));
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").Str("scheme"));
        Assert.Contains(doc.GetProperty("security").EnumerateArray(), s => s.TryGetProperty("Bearer", out _));
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var directory = NpmFolder.Find("openapi");
        await NpmFolder.EnsureInstalledAsync(directory, Path.Combine("node_modules", ".bin", "redocly"));
        return directory;
    }
}
