using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Email;

/// <summary>
/// Sends due mail rows over SMTP. An attempt is counted and its retry time set before the mail goes out (a
/// conditional update on the attempt count, so two nodes never both claim a row); success marks the row sent. A node
/// killed between the server's acceptance and that mark sends the row again on restart, with the same Message-ID.
/// After <see cref="MaxAttempts"/> failures the row parks, with an error log line.
/// </summary>
public sealed class MailSender(
    IServiceScopeFactory scopes, MailComposer composer, IOptions<EmailOptions> options, TimeProvider clock, ILogger<MailSender> logger)
{
    public const int MaxAttempts = 12;
    private const int Batch = 20;

    /// <summary>5 s, 10 s, 20 s … capped at 15 min: about 66 minutes of outage (12 attempts) before a row parks.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(5 * Math.Pow(2, Math.Max(0, attempts - 1)), 900));

    /// <summary>One pass over the due rows; true when it sent any (there may be more).</summary>
    public async Task<bool> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await db.EmailOutbox.Where(r => r.State == EmailStates.Waiting && r.NextAttemptAt <= now)
            .OrderBy(r => r.Id).Take(Batch).ToListAsync(ct);
        if (due.Count == 0) return false;
        using var smtp = new SmtpClient();
        var sent = false;
        foreach (var row in due)
        {
            var attempts = row.Attempts + 1;
            var claimed = await db.EmailOutbox.Where(r => r.Id == row.Id && r.Attempts == row.Attempts && r.State == EmailStates.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, attempts)
                    .SetProperty(r => r.NextAttemptAt, now + (long)Backoff(attempts).TotalMilliseconds), ct);
            if (claimed != 1) continue;
            try
            {
                var mail = await composer.ComposeAsync(db, row, ct);
                if (mail is not null)
                {
                    if (!smtp.IsConnected) await ConnectAsync(smtp, ct);
                    await smtp.SendAsync(mail, ct);
                }
                await db.EmailOutbox.Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.State, EmailStates.Sent).SetProperty(r => r.SentAt, clock.GetUtcNow().ToUnixTimeMilliseconds())
                    .SetProperty(r => r.LastError, mail is null ? "nothing left to send" : null), ct);
                Metrics.ServerMetrics.EmailsSent.Add(1, Tags(row.Kind, mail is null ? "skipped" : "sent"));
                sent = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var park = attempts >= MaxAttempts || e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted };
                var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                await db.EmailOutbox.Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.LastError, error).SetProperty(r => r.State, park ? EmailStates.Parked : EmailStates.Waiting), CancellationToken.None);
                Metrics.ServerMetrics.EmailsSent.Add(1, Tags(row.Kind, park ? "parked" : "retrying"));
                if (park)
                    logger.LogError("Mail {MessageId} ({Kind}, ticket {TicketId}) parked after {Attempts} attempts: {Error}", row.MessageId, row.Kind, row.TicketId, attempts, error);
                else
                    logger.LogWarning("Mail {MessageId} not sent (attempt {Attempts}); retrying in {Delay}: {Error}", row.MessageId, attempts, Backoff(attempts), error);
                if (smtp.IsConnected) try { await smtp.DisconnectAsync(true, CancellationToken.None); } catch (Exception) { }
                if (e is not SmtpCommandException) break; // the server is unreachable: the other rows wait for their own turn
            }
        }
        if (smtp.IsConnected) try { await smtp.DisconnectAsync(true, ct); } catch (Exception) { }
        return sent;
    }

    private async Task ConnectAsync(SmtpClient smtp, CancellationToken ct)
    {
        var s = options.Value.Smtp;
        smtp.Timeout = 30_000;
        await smtp.ConnectAsync(s.Host!, s.PortNumber, s.SocketOptions, ct);
        if (!string.IsNullOrEmpty(s.User)) await smtp.AuthenticateAsync(s.User, s.Password ?? "", ct);
    }

    private static KeyValuePair<string, object?>[] Tags(string kind, string result) => [new("kind", kind), new("result", result)];
}
