using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Logging;

/// <summary>
/// ASP.NET Core asks for loggers per request and counts on the factory to cache them; Serilog's does not, so the
/// server's does (LogOutputTests shows that what goes through the cached loggers still reaches the console).
/// </summary>
public sealed class LoggerFactoryTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Requests_do_not_make_new_loggers_one_category_has_one_logger()
    {
        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        var handlerCategory = typeof(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler).FullName!;
        var before = factory.CreateLogger(handlerCategory);

        await app.ClientFor(Unique.Customer()).CreateTicket(); // a request through JwtBearer, which asks for this logger

        Assert.Same(before, factory.CreateLogger(handlerCategory));
        Assert.NotSame(before, factory.CreateLogger("SupportTicket.Other"));
    }
}
