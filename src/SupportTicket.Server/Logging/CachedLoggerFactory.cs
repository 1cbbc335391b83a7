using System.Collections.Concurrent;

namespace SupportTicket.Server.Logging;

/// <summary>
/// One logger per category. ASP.NET Core asks the factory for a logger on every request (the JwtBearer handler is
/// created per request, results such as <c>Created</c> ask when they run) and relies on the factory to cache, as
/// Microsoft's does; Serilog's builds a new logger each time (its own context logger and event-id cache: the
/// largest of our allocations per request after the framework's own, in an EventPipe allocation profile of the
/// fan-out). Categories are type names, so the cache stays small; past <see cref="Max"/> it stops growing.
/// </summary>
internal sealed class CachedLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const int Max = 4096;
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName)
    {
        if (_loggers.TryGetValue(categoryName, out var logger)) return logger;
        logger = inner.CreateLogger(categoryName);
        return _loggers.Count < Max ? _loggers.GetOrAdd(categoryName, logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps the <see cref="ILoggerFactory"/> registered last (Serilog's) in a <see cref="CachedLoggerFactory"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        var create = registered.ImplementationFactory
            ?? throw new InvalidOperationException("Expected Serilog's ILoggerFactory to be registered by a factory");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new CachedLoggerFactory((ILoggerFactory)create(sp)));
    }
}
