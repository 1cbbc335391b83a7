using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

// Runs the gateway connection on the leader and relays its events, one at a time and in order, each in its own scope;
// one bad event is logged and skipped. Interactions run beside the stream so an answer never waits for a relay or a
// backfill. On every READY the ticket channels are read back from the last relayed message (backfill).
public sealed class GatewayListener(
    IServiceScopeFactory scopes, DiscordGatewayClient gateway, DiscordRestClient rest, DiscordBotState state, ILeaderLease lease,
    ThreadParents threads, IOptions<DiscordBotOptions> options, IOptions<DiscordClientOptions> clientOptions,
    ILogger<DiscordGatewayClient> gatewayLogger, ILogger<GatewayListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One gateway session per leadership term: losing the lease closes it, so two nodes never both listen.
        var session = gateway;
        while (!stoppingToken.IsCancellationRequested && !state.Unauthorized)
        {
            var term = await lease.WaitForLeadershipAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term);
            if (!await RunSessionAsync(session, leading.Token) || stoppingToken.IsCancellationRequested) return;
            await session.StopAsync();
            logger.LogWarning("Leader lease lost: the Discord gateway session is closed");
            session = new DiscordGatewayClient(rest, clientOptions, gatewayLogger);
        }
    }

    private async Task<bool> RunSessionAsync(DiscordGatewayClient gateway, CancellationToken stoppingToken)
    {
        gateway.Start(stoppingToken);
        try
        {
            await foreach (var e in InteractionsApart(gateway.Events, stoppingToken).ReadAllAsync(stoppingToken))
            {
                state.OnEvent();
                try
                {
                    await HandleAsync(e, stoppingToken);
                }
                catch (DiscordUnauthorizedException)
                {
                    if (state.MarkUnauthorized())
                        logger.LogCritical("Discord rejected the bot token (401): all Discord traffic is stopped. Set a valid DISCORD_BOT_TOKEN and restart");
                    return false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Discord event {Event} could not be handled", e.Name);
                }
            }
            return stoppingToken.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return true;
        }
        catch (DiscordUnauthorizedException)
        {
            if (state.MarkUnauthorized())
                logger.LogCritical("Discord rejected the bot token (401): all Discord traffic is stopped. Set a valid DISCORD_BOT_TOKEN and restart");
            return false;
        }
        catch (Exception ex)
        {
            state.GatewayError = ex.Message;
            logger.LogCritical(ex, "The Discord gateway stopped for good: {Reason}", ex.Message);
            return false;
        }
        finally
        {
            state.Connected = false;
        }
    }

    private async Task HandleAsync(GatewayEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case ReadyEvent ready:
                state.OnReady(ready.User.Id, ready.ApplicationId);
                _ = RegisterCommandsAsync(ready.ApplicationId, ct);
                await BackfillAsync(ct);
                return;
            case ResumedEvent:
                state.Connected = true;
                return;
            case MessageCreateEvent created:
                await InScopeAsync<InboundRelay>(r => r.OnCreateAsync(created.Message, ct));
                return;
            case MessageUpdateEvent updated:
                await InScopeAsync<InboundRelay>(r => r.OnUpdateAsync(updated.Message, ct));
                return;
            case MessageDeleteEvent deleted:
                await InScopeAsync<InboundRelay>(r => r.OnDeleteAsync([deleted.Id], ct));
                return;
            case MessageDeleteBulkEvent bulk:
                await InScopeAsync<InboundRelay>(r => r.OnDeleteAsync(bulk.Ids, ct));
                return;
            case ChannelDeleteEvent channel:
                await InScopeAsync<InboundRelay>(r => r.OnChannelDeletedAsync(channel.Channel.Id, ct));
                return;
            case UnknownDispatchEvent { Type: "THREAD_CREATE" } thread:
                if (thread.Data.Deserialize<DiscordChannel>(SupportTicket.Discord.Json.DiscordJson.Options) is { ParentId: { } parent } t)
                    threads.Remember(t.Id, parent);
                return;
            case TypingStartEvent { Member.User: { } user } typing:
                await InScopeAsync<InboundRelay>(r => r.OnTypingAsync(typing.ChannelId, user, typing.Member, ct));
                return;
        }
    }

    // Interactions must be answered within 3 s, so they are taken off the stream the moment they arrive and handled
    // beside it: neither a backfill nor an attachment download in the ordered stream can hold one up. Everything else
    // passes on in order. READY is noted here too, so an interaction right behind it finds the application id.
    private ChannelReader<GatewayEvent> InteractionsApart(ChannelReader<GatewayEvent> events, CancellationToken ct)
    {
        var ordered = Channel.CreateUnbounded<GatewayEvent>(new() { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in events.ReadAllAsync(ct))
                {
                    if (e is ReadyEvent ready) state.OnReady(ready.User.Id, ready.ApplicationId);
                    if (e is not InteractionCreateEvent interaction)
                    {
                        ordered.Writer.TryWrite(e);
                        continue;
                    }
                    state.OnEvent();
                    _ = Task.Run(() => InScopeAsync<InteractionHandler>(h => h.HandleAsync(interaction.Interaction, ct)), ct);
                }
                ordered.Writer.TryComplete();
            }
            catch (Exception e)
            {
                ordered.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        return ordered.Reader;
    }

    private async Task BackfillAsync(CancellationToken ct)
    {
        List<TicketChannel> open;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            open = await db.TicketChannels.Where(c => c.ChannelId != null && c.State == TicketChannelStates.Open).ToListAsync(ct);
        }
        var relayed = 0;
        foreach (var link in open)
        {
            var after = link.LastInboundId ?? link.OpeningMessageId;
            try
            {
                await foreach (var m in rest.GetMessagesAfterAsync(ChannelKeeper.Snowflake(link.ChannelId!), after is null ? 0 : ChannelKeeper.Snowflake(after), ct))
                {
                    await InScopeAsync<InboundRelay>(r => r.OnBackfilledAsync(m, ct));
                    relayed++;
                }
            }
            catch (DiscordRestException ex)
            {
                logger.LogWarning("Backfill of ticket {TicketId}'s channel failed: {Error}", link.TicketId, ex.Message);
            }
        }
        logger.LogInformation("Discord READY: backfilled {Channels} ticket channel(s), {Messages} message(s) read", open.Count, relayed);
    }

    private async Task RegisterCommandsAsync(ulong applicationId, CancellationToken ct)
    {
        try
        {
            await rest.BulkOverwriteGuildCommandsAsync(applicationId, options.Value.Guild, InteractionHandler.Commands, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Registering the slash commands failed");
        }
    }

    private async Task InScopeAsync<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await action(scope.ServiceProvider.GetRequiredService<T>());
        }
        catch (Exception e) when (e is not OperationCanceledException and not DiscordUnauthorizedException)
        {
            logger.LogError(e, "Discord handler {Handler} failed", typeof(T).Name);
        }
    }
}
