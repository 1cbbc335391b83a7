using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.CannedResponses;

public sealed partial class CannedResponseService(AppDbContext db, TimeProvider clock)
{
    public const int NameMax = 32;
    // Room left under a message's 4,000 characters for the names and number the placeholders become.
    public const int BodyMax = 3_000;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NameShape();

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>All of them by name, or those offered on a ticket of <paramref name="level"/> (its own and the level-less ones).</summary>
    public async Task<Result<List<CannedResponseDto>>> ListAsync(string? level, CancellationToken ct)
    {
        var query = db.CannedResponses.AsNoTracking();
        if (level is not null)
        {
            var errors = new List<FieldError>();
            var upper = FieldRules.OneOf(errors, "level", level, IssueLevel.All, null);
            if (errors.Count > 0) return ApiError.BadRequest("Invalid query parameters", errors);
            query = query.Where(c => c.Level == null || c.Level == upper);
        }
        return (await query.OrderBy(c => c.Name).ToListAsync(ct)).ConvertAll(CannedResponseDto.From);
    }

    public async Task<Result<CannedResponseDto>> GetAsync(string id, CancellationToken ct) =>
        await db.CannedResponses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? CannedResponseDto.From(c) : NotFound(id);

    public Task<CannedResponse?> FindByNameAsync(string name, CancellationToken ct)
    {
        var key = name.Trim().ToLowerInvariant();
        return db.CannedResponses.AsNoTracking().FirstOrDefaultAsync(c => c.Name == key, ct);
    }

    public async Task<Result<CannedResponseDto>> CreateAsync(CreateCannedResponseRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = Name(errors, request.Name, required: true);
        var body = Body(errors, request.Body, required: true);
        var level = FieldRules.OneOf(errors, "level", request.Level, IssueLevel.All, null);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        if (await db.CannedResponses.AnyAsync(c => c.Name == name, ct)) return Duplicate(name!);
        var canned = new CannedResponse { Id = "cr_" + Ids.New(), Name = name!, Body = body!, Level = level, CreatedAt = Now, UpdatedAt = Now };
        db.CannedResponses.Add(canned);
        return await SaveAsync(canned, ct);
    }

    public async Task<Result<CannedResponseDto>> UpdateAsync(string id, JsonElement patch, CancellationToken ct)
    {
        if (patch.ValueKind != JsonValueKind.Object) return ApiError.Invalid([new("body", "The body must be a JSON object", "type")]);
        var errors = new List<FieldError>();
        string? name = null, body = null, level = null;
        var clearLevel = false;
        foreach (var field in patch.EnumerateObject())
        {
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
            var isNull = field.Value.ValueKind == JsonValueKind.Null;
            if (!isNull && text is null)
            {
                errors.Add(new(field.Name, $"{field.Name} must be a string", "type"));
                continue;
            }
            switch (field.Name)
            {
                case "name": name = Name(errors, text, required: true); break;
                case "body": body = Body(errors, text, required: true); break;
                case "level":
                    if (isNull) clearLevel = true;
                    else level = FieldRules.OneOf(errors, "level", text, IssueLevel.All, null);
                    break;
                default: errors.Add(new(field.Name, $"Unknown field {field.Name}", "unknown")); break;
            }
        }
        if (errors.Count > 0) return ApiError.Invalid(errors);
        if (await db.CannedResponses.AsTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } canned) return NotFound(id);
        if (name is not null && name != canned.Name && await db.CannedResponses.AnyAsync(c => c.Name == name, ct)) return Duplicate(name);
        if (name is not null) canned.Name = name;
        if (body is not null) canned.Body = body;
        if (level is not null) canned.Level = level;
        if (clearLevel) canned.Level = null;
        canned.UpdatedAt = Now;
        return await SaveAsync(canned, ct);
    }

    public async Task<ApiError?> DeleteAsync(string id, CancellationToken ct) =>
        await db.CannedResponses.Where(c => c.Id == id).ExecuteDeleteAsync(ct) > 0 ? null : NotFound(id);

    private async Task<Result<CannedResponseDto>> SaveAsync(CannedResponse canned, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (Sql.IsUniqueViolation(e))
        {
            // Two admins saving the same name at once: the unique index decides, the loser changes nothing.
            db.ChangeTracker.Clear();
            return Duplicate(canned.Name);
        }
        return CannedResponseDto.From(canned);
    }

    private static string? Name(List<FieldError> errors, string? value, bool required)
    {
        var name = FieldRules.Text(errors, "name", value, NameMax, required)?.ToLowerInvariant();
        if (name is { Length: > 0 and <= NameMax } && !NameShape().IsMatch(name))
        {
            errors.Add(new("name", "name may hold only a-z, 0-9, _ and -, starting with a letter or digit", "format"));
        }
        return name;
    }

    private static string? Body(List<FieldError> errors, string? value, bool required)
    {
        var body = FieldRules.Text(errors, "body", value, BodyMax, required);
        if (body is { Length: > 0 } && CannedTemplates.Check(body) is { } error) errors.Add(error);
        return body;
    }

    private static ApiError NotFound(string id) => ApiError.NotFound($"Canned response {id} not found");

    private static ApiError Duplicate(string name) => ApiError.Conflict($"A canned response named '{name}' already exists");
}
