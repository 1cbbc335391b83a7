namespace SupportTicket.FakeDiscord.Http;

/// <summary>Endpoint metadata: which route values form the major parameter, and how the route is authenticated.</summary>
internal sealed record FakeRouteInfo(string[] MajorParameters, bool BotAuth = true, bool GlobalExempt = false);

internal static class FakeRouteExtensions
{
    public static RouteHandlerBuilder Discord(this RouteHandlerBuilder builder, params string[] major) =>
        builder.WithMetadata(new FakeRouteInfo(major));

    public static RouteHandlerBuilder DiscordTokenRoute(this RouteHandlerBuilder builder, bool globalExempt, params string[] major) =>
        builder.WithMetadata(new FakeRouteInfo(major, BotAuth: false, GlobalExempt: globalExempt));
}
