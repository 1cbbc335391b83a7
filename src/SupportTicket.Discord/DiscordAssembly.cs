namespace SupportTicket.Discord;

/// <summary>Marker for the Discord client assembly (issue 5).</summary>
public static class DiscordAssembly;
