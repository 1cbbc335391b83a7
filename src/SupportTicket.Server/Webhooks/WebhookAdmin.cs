using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Api;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Webhooks;

/// <summary>The admin API's rules over the endpoints table; delivery itself is <see cref="WebhookDispatcher"/>'s.</summary>
public sealed class WebhookAdmin(AppDbContext db, EventWriter events, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const int DescriptionMax = 500;
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public async Task<Result<WebhookDto>> CreateAsync(CreateWebhookRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var url = Url(errors, request.Url, required: true);
        var types = Types(errors, request.Events);
        var description = FieldRules.Text(errors, "description", request.Description, DescriptionMax, required: false);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        var end = await EventFeedQuery.EndAsync(db, ct);
        var endpoint = new WebhookEndpoint
        {
            Id = "whk_" + Ids.New(), Url = url!, Events = types ?? "", Description = description, Secret = WebhookSigner.NewSecret(),
            Source = WebhookSources.Api, CreatedAt = Now, CursorXid = end.Xid, CursorId = end.Id,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return WebhookDto.From(endpoint, Now) with { Secret = endpoint.Secret };
    }

    public async Task<List<WebhookDto>> ListAsync(CancellationToken ct) =>
        (await db.WebhookEndpoints.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(ct)).ConvertAll(e => WebhookDto.From(e, Now));

    public async Task<Result<WebhookDto>> GetAsync(string id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } e ? WebhookDto.From(e, Now) : NotFound(id);

    public async Task<Result<WebhookDto>> UpdateAsync(string id, UpdateWebhookRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var url = Url(errors, request.Url, required: false);
        var types = Types(errors, request.Events);
        var description = FieldRules.Text(errors, "description", request.Description, DescriptionMax, required: false);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        if (await FindAsync(id, ct, tracking: true) is not { } endpoint) return NotFound(id);
        if (endpoint.Source == WebhookSources.Config) return Configured(id);
        if (url is not null) endpoint.Url = url;
        if (types is not null) endpoint.Events = types;
        if (description is not null) endpoint.Description = description;
        if (request.Enabled is { } enabled)
        {
            endpoint.Enabled = enabled;
            if (enabled) endpoint.DisabledReason = null;
        }
        await db.SaveChangesAsync(ct);
        return WebhookDto.From(endpoint, Now);
    }

    public async Task<ApiError?> DeleteAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } endpoint) return NotFound(id);
        if (endpoint.Source == WebhookSources.Config) return Configured(id);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.WebhookQueue.Where(q => q.EndpointId == id).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
        await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>A new secret; the old one keeps signing beside it for <see cref="RotationOverlap"/>.</summary>
    public async Task<Result<WebhookDto>> RotateSecretAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct, tracking: true) is not { } endpoint) return NotFound(id);
        if (endpoint.Source == WebhookSources.Config) return Configured(id);
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = Now + (long)RotationOverlap.TotalSeconds;
        endpoint.Secret = WebhookSigner.NewSecret();
        await db.SaveChangesAsync(ct);
        return WebhookDto.From(endpoint, Now) with { Secret = endpoint.Secret };
    }

    /// <summary>
    /// Queues a <c>ping</c> for the delivery worker, which runs on the lease holder only: whichever node took the
    /// request, one node sends it, signed like any event. Not retried; its attempt shows in the deliveries.
    /// </summary>
    public async Task<Result<PingDto>> PingAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } endpoint) return NotFound(id);
        if (!endpoint.Enabled) return ApiError.Conflict($"Webhook {id} is disabled; enable it (PATCH enabled: true) to ping it");
        var ping = new EventRow
        {
            EventId = EventWriter.NewId(), Type = EventTypes.Ping, Created = Now, Data = events.Serialize(new { webhook_id = id }),
        };
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        db.WebhookQueue.Add(new WebhookQueueRow
        {
            EndpointId = id, OrderKey = ping.EventId, NextAttemptAt = now, EnqueuedAt = now,
            PingEventId = ping.EventId, PingBody = System.Text.Encoding.UTF8.GetString(EventBody.Render(ping)),
        });
        await db.SaveChangesAsync(ct);
        return new PingDto(ping.EventId, true);
    }

    public async Task<Result<List<WebhookDeliveryDto>>> DeliveriesAsync(string id, long? before, int limit, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is null) return NotFound(id);
        var query = db.WebhookDeliveries.Where(d => d.EndpointId == id);
        if (before is { } b) query = query.Where(d => d.Id < b);
        return (await query.OrderByDescending(d => d.Id).Take(limit).ToListAsync(ct)).ConvertAll(WebhookDeliveryDto.From);
    }

    /// <summary>Queues the delivery's event again (same id, same body), behind what its ticket already has queued.</summary>
    public async Task<Result<RedeliveryDto>> RedeliverAsync(string id, long deliveryId, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is null) return NotFound(id);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, ct);
        if (delivery is null) return ApiError.NotFound($"No delivery {deliveryId} of webhook {id}");
        if (delivery.EventRowId is not { } rowId) return ApiError.Conflict("A ping is not redelivered; send a new ping");
        var e = await db.Events.FirstOrDefaultAsync(x => x.Id == rowId, ct);
        if (e is null) return ApiError.Conflict($"Event {delivery.EventId} is past Events:RetentionDays and no longer kept");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        db.WebhookQueue.Add(new WebhookQueueRow { EndpointId = id, EventRowId = rowId, OrderKey = e.TicketId, NextAttemptAt = now, EnqueuedAt = now });
        await db.SaveChangesAsync(ct);
        return new RedeliveryDto(e.EventId, true);
    }

    private Task<WebhookEndpoint?> FindAsync(string id, CancellationToken ct, bool tracking = false) =>
        (tracking ? db.WebhookEndpoints.AsTracking() : db.WebhookEndpoints).FirstOrDefaultAsync(e => e.Id == id, ct);

    private string? Url(List<FieldError> errors, string? url, bool required)
    {
        if (url is null)
        {
            if (required) errors.Add(new("url", "url is required", "required"));
            return null;
        }
        if (options.Value.UrlProblem(url.Trim()) is { } problem) errors.Add(new("url", $"url {problem}", "format"));
        return url.Trim();
    }

    private static string? Types(List<FieldError> errors, string[]? types)
    {
        if (types is null) return null;
        var joined = string.Join(',', types);
        if (WebhookOptions.EventsProblem(joined) is { } problem) errors.Add(new("events", $"events {problem}", "enum", new { allowed = EventTypes.All }));
        return string.Join(',', WebhookOptions.Normalize(joined));
    }

    private static ApiError NotFound(string id) => ApiError.NotFound($"No webhook {id}");

    private static ApiError Configured(string id) =>
        ApiError.Conflict($"Webhook {id} is managed by configuration (Webhooks:Endpoints); change it there");
}
