using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Email;

/// <summary>
/// Remembers the <c>email</c> claim of the last token seen for each customer (REST and hub alike, through
/// <see cref="ITokenObserver"/>). Only a change is written, off the request path, so a request never waits on it.
/// </summary>
public sealed class RecipientBook(IServiceScopeFactory scopes, WriteGate gate, TimeProvider clock, ILogger<RecipientBook> logger) : BackgroundService, ITokenObserver
{
    private readonly ConcurrentDictionary<string, string?> _known = new();
    private readonly Channel<(string UserId, string? Email)> _changes = Channel.CreateBounded<(string, string?)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Seen(CurrentUser user)
    {
        if (user.IsStaff || user.ViaDiscord) return;
        var email = string.IsNullOrWhiteSpace(user.Email) ? null : user.Email.Trim();
        if (_known.TryGetValue(user.Id, out var known) && known == email) return;
        _known[user.Id] = email;
        _changes.Writer.TryWrite((user.Id, email));
    }

    public static Task UpsertAsync(AppDbContext db, string userId, string? email, long now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(
            $"INSERT INTO email_recipients (user_id, email, notifications, updated_at) VALUES ({userId}, {email}, {true}, {now}) ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at", ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (userId, email) in _changes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                using var _ = await gate.EnterAsync(userId, stoppingToken);
                await UpsertAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), userId, email, clock.GetUtcNow().ToUnixTimeSeconds(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _known.TryRemove(userId, out _); // seen again, written again
                logger.LogWarning(e, "Could not store the mail address of user {UserId}", userId);
            }
        }
    }
}
