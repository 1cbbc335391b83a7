using System.Diagnostics;

namespace SupportTicket.Testing;

// The one wait-for-a-condition loop of the test projects (a linked file, like FreeTcpPort): a test waits for an
// outcome, polling it, never for a guessed number of seconds. The timeout only bounds a failing test.
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    // True once the condition holds; false when the timeout passed first (after one last look).
    public static async Task<bool> Until(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition()) return true;
            await Task.Delay(interval ?? DefaultInterval);
        }
        return await condition();
    }

    public static Task<bool> Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(condition()), timeout, interval);

    // Like Until, but a timeout fails the test with what it was waiting for.
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var within = timeout ?? DefaultTimeout;
        if (!await Until(condition, within, interval))
            throw new TimeoutException($"Timed out after {within.TotalSeconds:0.#} s waiting for {what}");
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, interval);
}
