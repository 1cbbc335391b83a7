using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Hosting;

public sealed class ServerOptions
{
    public const string Section = "Server";

    [Range(0, 65535, ErrorMessage = "WEB_SERVER_PORT must be a port number between 0 and 65535 (0 picks a free port)")]
    public int Port { get; set; } = 5000;

    public string? CorsAllowedOrigins { get; set; }

    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "Server:MaxRequestBodyBytes must be between 1 KiB and 100 MiB")]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    [Range(1024, 1024 * 1024, ErrorMessage = "Server:MaxRequestLineBytes must be between 1 KiB and 1 MiB")]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    [Range(4096, 4 * 1024 * 1024, ErrorMessage = "Server:MaxRequestHeadersBytes must be between 4 KiB and 4 MiB")]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    public bool? ApiDocs { get; set; }

    public string? KnownProxies { get; set; }

    public bool UnsafePreferInlineScheduling { get; set; }

    // WEB_SERVER_PORT, read before the container exists: the listening address is set on the host builder. The options
    // themselves are bound and validated once (data annotations and ServerOptionsValidator).
    public static int PortIn(IConfiguration configuration) =>
        configuration.GetValue($"{Section}:{nameof(Port)}", new ServerOptions().Port);

    public string[] ProxyEntries => (KnownProxies ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] CorsOrigins => (CorsAllowedOrigins ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
        && uri.PathAndQuery == "/" && uri.Fragment.Length == 0 && !value.EndsWith('/');
}

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (!options.ProxyEntries.All(TrustedProxies.IsAddressOrNetwork))
            failures.Add("KNOWN_PROXIES must list IP addresses or CIDR networks, comma-separated");
        // Checked here, not left to the CORS policy: it throws at the first request pipeline build, with a stack trace.
        if (options.CorsOrigins.Any(c => c.Contains('*')))
            failures.Add("CORS_ALLOWED_ORIGINS (Server:CorsAllowedOrigins) may not contain '*': the API allows credentials, which browsers refuse for any origin; list the widget's origins, e.g. https://shop.example.com");
        if (!options.CorsOrigins.All(c => c.Contains('*') || ServerOptions.IsOrigin(c)))
            failures.Add("CORS_ALLOWED_ORIGINS (Server:CorsAllowedOrigins) must list origins as scheme://host[:port] with no path, comma-separated");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
