using Microsoft.AspNetCore.WebUtilities;

namespace SupportTicket.Server.Api;

internal static class Paging
{
    public static void SetNext(HttpContext context, string cursorName, string cursor)
    {
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value)
            .Where(kv => kv.Key != cursorName)
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new(cursorName, cursor));
        var url = QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, query);
        context.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }
}
