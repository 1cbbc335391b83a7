using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

public sealed partial class DiscordRestClient
{
    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(
        ulong applicationId, ulong guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<ApplicationCommand>>(
            Request(HttpMethod.Put, $"/applications/{Id(applicationId)}/guilds/{Id(guildId)}/commands",
                "/applications/:id/guilds/{guild_id}/commands", Id(guildId), commands),
            ct);

    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(
        ulong applicationId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<ApplicationCommand>>(
            Request(HttpMethod.Put, $"/applications/{Id(applicationId)}/commands", "/applications/:id/commands", "", commands),
            ct);

    // Must arrive within 3 s of INTERACTION_CREATE. Exempt from the global limit, authenticated by the token in the
    // path, and never retried: a second callback would be rejected with 40060.
    public Task CreateInteractionResponseAsync(
        ulong interactionId, string token, InteractionResponse response, CancellationToken ct = default) =>
        SendAsync(
            Request(HttpMethod.Post, $"/interactions/{Id(interactionId)}/{Uri.EscapeDataString(token)}/callback",
                "/interactions/{interaction_id}/{interaction_token}/callback", Id(interactionId), response)
                with { BotAuth = false, GlobalExempt = true },
            ct);
}
