using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Email;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>
/// Two nodes on one PostgreSQL database and one reply mailbox: only the lease holder reads it; when it stops, the other
/// takes the lease, reads the mailbox from its first mail again and imports nothing twice.
/// </summary>
public sealed class EmailTwoNodeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static TestApp Node(string name, string replyAddress, string? databaseUrl = null)
    {
        var settings = MailServer.Settings(replies: true, replyAddress: replyAddress);
        settings["Email:PollSeconds"] = "1";
        settings["Cluster:NodeName"] = name;
        settings["Cluster:LeaseCheckSeconds"] = "1";
        settings["Cluster:LeaseTtlSeconds"] = "3";
        if (databaseUrl is not null) settings["Storage:DatabaseUrl"] = databaseUrl;
        var app = new TestApp(Store.Postgres, settings);
        _ = app.Server;
        return app;
    }

    private static bool Leads(TestApp app) => app.Services.GetRequiredService<ILeaderLease>().IsLeader;

    [Fact]
    public async Task Two_nodes_polling_one_mailbox_import_each_reply_once_and_the_lease_decides_who_polls()
    {
        var replyAddress = $"support-{Guid.NewGuid():N}@st-test.example";
        using var first = Node("mail-a", replyAddress);
        await Eventually.UntilAsync(() => Leads(first), "node a to hold the lease", Timeout);
        using var second = Node("mail-b", replyAddress, first.DatabaseUrl);
        var customer = Unique.Customer();
        var address = $"{customer.Id}@example.com";
        var ticketId = (await first.ClientFor(customer).CreateTicket("Two readers")).Str("id");
        var to = (await first.Services.GetRequiredService<EmailSigner>().ReplyAddressAsync(ticketId, default))!;

        var reply = InboundMail.Reply(address, to, "Read me once", "Re: Two readers");
        await MailServer.SendAsync(reply);
        await Eventually.UntilAsync(() => InboundMail.Outcome(first, reply.MessageId!) == "posted", "the reply posted", Timeout);
        Assert.False(Leads(second));

        first.KeepDatabase = true;
        first.Dispose();
        await Eventually.UntilAsync(() => Leads(second), "node b to take the lease", Timeout);
        var marker = InboundMail.Reply(address, to, "marker", "Re: Two readers");
        marker.Headers.Add("Auto-Submitted", "auto-replied");
        await MailServer.SendAsync(marker);
        await Eventually.UntilAsync(() => InboundMail.Outcome(second, marker.MessageId!) is not null, "node b to read past the reply", Timeout);

        var messages = await (await second.ClientFor(customer).GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body();
        Assert.Equal(["Read me once"], messages.EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal("posted", InboundMail.Outcome(second, reply.MessageId!));
    }
}
