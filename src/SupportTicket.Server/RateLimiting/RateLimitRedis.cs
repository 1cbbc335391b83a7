using StackExchange.Redis;

namespace SupportTicket.Server.RateLimiting;

// The rate limiter's Redis connection (REDIS_URL). It connects in the background and never makes a request wait for a
// dead Redis: AbortOnConnectFail=false lets StackExchange.Redis keep reconnecting by itself.
public sealed class RateLimitRedis : IDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;

    public RateLimitRedis(string url)
    {
        var options = Parse(url);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 1000;
        options.ConnectRetry = 1;
        options.KeepAlive = 1;
        // Fail at once while disconnected instead of queueing the command until Redis returns: the limiter
        // then counts locally for that request rather than waiting out its timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _connecting = Task.Run(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    public async ValueTask<IDatabase?> DatabaseAsync(TimeSpan wait)
    {
        if (!_connecting.IsCompleted)
        {
            try { await _connecting.WaitAsync(wait); }
            catch (TimeoutException) { return null; }
        }
        if (!_connecting.IsCompletedSuccessfully) return null;
        var connection = _connecting.Result;
        return connection.IsConnected ? connection.GetDatabase() : null;
    }

    public static ConfigurationOptions Parse(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal)) return ConfigurationOptions.Parse(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
            throw new ConfigurationException("REDIS_URL must look like redis://[[user]:password@]host[:port][/db] or host:port");
        var options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        var colon = uri.UserInfo.IndexOf(':');
        var password = colon >= 0 ? uri.UserInfo[(colon + 1)..] : uri.UserInfo;
        if (password.Length > 0) options.Password = Uri.UnescapeDataString(password);
        if (colon > 0) options.User = Uri.UnescapeDataString(uri.UserInfo[..colon]);
        if (int.TryParse(uri.AbsolutePath.Trim('/'), out var db)) options.DefaultDatabase = db;
        return options;
    }

    public void Dispose()
    {
        if (_connecting.IsCompletedSuccessfully) _connecting.Result.Dispose();
    }
}
