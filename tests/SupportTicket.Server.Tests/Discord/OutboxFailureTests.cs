using SupportTicket.Discord.Rest;
using SupportTicket.Server.Discord;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>The error classes of issue #12: what the sender does with each Discord failure.</summary>
public sealed class OutboxFailureTests
{
    private static (OutboxVerdict, TimeSpan) Classify(Exception e, int attempts = 1) =>
        OutboxFailure.Classify(e, attempts, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    [Fact]
    public void Rate_limit_retries_at_its_retry_after() =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromSeconds(42)), Classify(new DiscordRateLimitedException("r", TimeSpan.FromSeconds(42), "user", false)));

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void Server_errors_back_off_exponentially(int status) =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromSeconds(4)), Classify(new DiscordRestException((System.Net.HttpStatusCode)status, 0, "x", "r"), attempts: 3));

    [Fact]
    public void Timeouts_back_off_and_the_backoff_is_capped() =>
        Assert.Equal((OutboxVerdict.Retry, TimeSpan.FromMinutes(5)), Classify(new TaskCanceledException(), attempts: 30));

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    public void Refusals_park_the_row(int status) =>
        Assert.Equal(OutboxVerdict.Park, Classify(new DiscordRestException((System.Net.HttpStatusCode)status, 50013, "x", "r")).Item1);

    [Fact]
    public void Unauthorized_stops_everything() =>
        Assert.Equal(OutboxVerdict.Stop, Classify(new DiscordUnauthorizedException("r")).Item1);
}
