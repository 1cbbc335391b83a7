using System.Collections.Concurrent;

namespace SupportTicket.Server.Logging;

// One logger per category. ASP.NET Core asks the factory for a logger on every request and relies on it to cache, as
// Microsoft's does; Serilog's builds a new one each time (our largest allocation per request in a profile of the fan-out).
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

    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        var create = registered.ImplementationFactory
            ?? throw new InvalidOperationException("Expected Serilog's ILoggerFactory to be registered by a factory");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new CachedLoggerFactory((ILoggerFactory)create(sp)));
    }
}
