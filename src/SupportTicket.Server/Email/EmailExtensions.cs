using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Email;

public static class EmailExtensions
{
    /// <summary>
    /// Preferences and unsubscribe always work; the senders, the digest scan, the reply reader and the address book
    /// only run with <c>Email:Smtp:Host</c> set.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<EmailSigner>();
        services.AddSingleton<MailQueue>();
        // Decides which services exist, so read once here (EmailOptions.EnabledIn); everything else uses IOptions.
        if (!EmailOptions.EnabledIn(configuration)) return services;
        services.AddSingleton<RecipientBook>();
        services.AddSingleton<ITokenObserver>(sp => sp.GetRequiredService<RecipientBook>());
        services.AddHostedService(sp => sp.GetRequiredService<RecipientBook>());
        services.AddSingleton<MailComposer>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<ReplyDigests>();
        services.AddSingleton<ReplyReader>();
        services.AddScoped<ReplyIntake>();
        services.AddHostedService<MailWorker>();
        return services;
    }
}
