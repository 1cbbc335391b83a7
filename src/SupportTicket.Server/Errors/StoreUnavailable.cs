using System.Net.Sockets;
using Npgsql;

namespace SupportTicket.Server.Errors;

// "The database cannot be reached right now" becomes a 503 with Retry-After instead of a 500: the transaction did not
// commit, so a retry writes once. The pool is cleared so the next request does not find connections the restart broke.
internal static class StoreUnavailable
{
    public static ApiError? Map(Exception exception, HttpContext context)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg && !(pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)))
                return null; // a real query error, not an outage
            if (e is NpgsqlException or SocketException or EndOfStreamException || e is TimeoutException && exception is NpgsqlException)
            {
                NpgsqlConnection.ClearAllPools();
                context.Response.Headers.RetryAfter = "2";
                return ApiError.Unavailable("The database is unavailable; nothing was written. Retry shortly");
            }
        }
        return null;
    }
}
