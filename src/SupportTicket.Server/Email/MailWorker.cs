using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;

namespace SupportTicket.Server.Email;

/// <summary>
/// Runs the mail work on the lease holder only (<see cref="ILeaderLease"/>; a single node always holds it): every
/// <c>Email:PollSeconds</c> the digest scan, then the sender. The reply reader (<see cref="ReplyReader"/>) runs beside
/// it under the same lease. Losing the lease stops both.
/// </summary>
public sealed class MailWorker(
    ILeaderLease lease, ReplyDigests digests, MailSender sender, IServiceProvider services, IOptions<EmailOptions> options, TimeProvider clock,
    ILogger<MailWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = await lease.WaitForLeadershipAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held);
            try
            {
                var reader = options.Value.ReadsReplies
                    ? Task.Run(() => services.GetRequiredService<ReplyReader>().RunAsync(leading.Token), CancellationToken.None)
                    : Task.CompletedTask;
                await LeadAsync(leading.Token);
                await reader;
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Lease lost: mail stops on this node");
            }
        }
    }

    private async Task LeadAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (true)
        {
            try
            {
                await digests.RunAsync(ct);
                while (await sender.SendDueAsync(ct) && !ct.IsCancellationRequested) { }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Mail round failed; trying again shortly");
            }
            await Task.Delay(poll, clock, ct);
        }
    }
}
