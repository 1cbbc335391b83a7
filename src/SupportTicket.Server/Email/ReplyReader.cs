using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Email;

/// <summary>
/// Reads the reply mailbox over IMAP (<c>Email:Imap:*</c>): IDLE where the server offers it, otherwise a poll every
/// <c>Email:PollSeconds</c>. Each new mail goes to <see cref="ReplyIntake"/>; the mailbox is opened read-only, so
/// what was processed is known from <c>email_inbound</c> alone (by Message-ID), on every node and after restarts.
/// </summary>
public sealed class ReplyReader(IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider clock, ILogger<ReplyReader> logger)
{
    private uint _validity;
    private uint _lastUid;

    public async Task RunAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var client = new ImapClient { Timeout = 60_000 };
                var imap = options.Value.Imap;
                await client.ConnectAsync(imap.Host!, imap.PortNumber, imap.SocketOptions, ct);
                if (!string.IsNullOrEmpty(imap.User)) await client.AuthenticateAsync(imap.User, imap.Password ?? "", ct);
                var folder = await client.GetFolderAsync(imap.Mailbox, ct);
                await folder.OpenAsync(FolderAccess.ReadOnly, ct);
                while (!ct.IsCancellationRequested)
                {
                    await ReadNewAsync(folder, ct);
                    await WaitAsync(client, folder, poll, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("Reply mailbox unavailable: {Error}; trying again in {Poll}", e.Message, poll);
                await Task.Delay(poll, clock, ct);
            }
        }
    }

    private async Task ReadNewAsync(IMailFolder folder, CancellationToken ct)
    {
        if (folder.UidValidity != _validity) (_validity, _lastUid) = (folder.UidValidity, 0);
        var uids = (await folder.SearchAsync(SearchQuery.All, ct)).Where(u => u.Id > _lastUid).OrderBy(u => u.Id).ToList();
        if (uids.Count == 0) return;
        var summaries = await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, ct);
        foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var intake = scope.ServiceProvider.GetRequiredService<ReplyIntake>();
                var messageId = summary.Envelope?.MessageId is { Length: > 0 } id ? id : $"uid.{_validity}.{summary.UniqueId.Id}@imap";
                var recipients = summary.Envelope is { } e ? e.To.Mailboxes.Concat(e.Cc.Mailboxes).Select(m => m.Address).ToList() : null;
                await intake.HandleAsync(messageId, summary.Size ?? 0, recipients, () => folder.GetMessageAsync(summary.UniqueId, ct), ct);
            }
            _lastUid = summary.UniqueId.Id;
        }
    }

    /// <summary>IDLE until the mailbox grows or a poll interval passes (on the server's clock); a plain wait without IDLE.</summary>
    private async Task WaitAsync(ImapClient client, IMailFolder folder, TimeSpan poll, CancellationToken ct)
    {
        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(poll, clock, ct);
            return;
        }
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void Stop() { try { done.Cancel(); } catch (ObjectDisposedException) { } }
        void Grew(object? sender, EventArgs e) => Stop();
        folder.CountChanged += Grew;
        try
        {
            _ = Task.Delay(poll, clock, done.Token).ContinueWith(_ => Stop(), TaskScheduler.Default);
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            folder.CountChanged -= Grew;
        }
    }
}
