using System.Net.Sockets;
using Npgsql;

namespace SupportTicket.Server.Errors;

/// <summary>
/// Recognises "the database cannot be reached right now" (PostgreSQL restarting, shutting down, refusing or dropping
/// connections) so the request gets a 503 with the error body and Retry-After instead of a 500. The transaction was
/// not committed (a commit that fails rolls back), so a retry writes it once. The pool is cleared so the next request
/// opens fresh connections instead of finding ones the restart broke.
/// </summary>
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
