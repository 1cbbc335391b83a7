using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Hosting;

internal static class StartupFailure
{
    public static string? Describe(Exception e) => e switch
    {
        ConfigurationException c => c.Message,
        OptionsValidationException o => string.Join("; ", o.Failures),
        AggregateException a when a.InnerExceptions.Count == 1 => Describe(a.InnerException!),
        _ when e.InnerException is not null => Describe(e.InnerException),
        _ => null,
    };
}
