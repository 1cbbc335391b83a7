using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.CannedResponses;
using SupportTicket.Server.Discord;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;
using SupportTicket.Server.Webhooks;

namespace SupportTicket.Server.Storage;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();
    public DbSet<TicketChannel> TicketChannels => Set<TicketChannel>();
    public DbSet<MirroredMessage> MirroredMessages => Set<MirroredMessage>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();
    public DbSet<StoredAttachment> Attachments => Set<StoredAttachment>();
    public DbSet<AttachmentChunk> AttachmentChunks => Set<AttachmentChunk>();
    public DbSet<Revocation> Revocations => Set<Revocation>();
    public DbSet<Cluster.LeaderLeaseRow> LeaderLease => Set<Cluster.LeaderLeaseRow>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookQueueRow> WebhookQueue => Set<WebhookQueueRow>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Email.EmailRecipient> EmailRecipients => Set<Email.EmailRecipient>();
    public DbSet<Email.EmailOutboxRow> EmailOutbox => Set<Email.EmailOutboxRow>();
    public DbSet<Email.EmailInbound> EmailInbound => Set<Email.EmailInbound>();
    public DbSet<Email.EmailSetting> EmailSettings => Set<Email.EmailSetting>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Ticket>(t =>
        {
            t.ToTable("tickets");
            t.HasKey(x => x.Id);
            t.HasIndex(x => x.Number).IsUnique();
            // The timers' scans (Lifecycle/TimerService.cs) and the digest's read only due rows: one index per due
            // time, holding only the rows that have it set (migration 20261207000700).
            foreach (var due in Lifecycle.TicketTimers.DueColumns.Append(nameof(Ticket.EmailPendingSince)))
                t.HasIndex(due).HasDatabaseName("ix_tickets_" + SnakeCase(due)).HasFilter(SnakeCase(due) + " IS NOT NULL");
        });
        model.Entity<Message>(m =>
        {
            m.ToTable("messages");
            m.HasKey(x => x.Id);
            m.HasIndex(x => new { x.TicketId, x.Seq }).IsUnique();
            m.HasIndex(x => new { x.TicketId, x.PublicSeq }).IsUnique().HasFilter("NOT internal");
            m.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<OutboxRow>(o =>
        {
            o.ToTable("outbox");
            o.HasKey(x => x.Id);
            o.HasIndex(x => new { x.TicketId, x.Id });
        });
        model.Entity<TicketChannel>(c =>
        {
            c.ToTable("discord_channels");
            c.HasKey(x => x.TicketId);
            c.HasIndex(x => x.ChannelId);
        });
        model.Entity<MirroredMessage>(m =>
        {
            m.ToTable("discord_messages");
            m.HasKey(x => x.Id);
            m.HasIndex(x => new { x.MessageId, x.Part }).IsUnique();
        });
        model.Entity<InboundMessage>(i =>
        {
            i.ToTable("discord_inbound");
            i.HasKey(x => x.DiscordMessageId);
            i.HasIndex(x => new { x.State, x.NextAttemptAt });
        });
        model.Entity<StoredAttachment>(a =>
        {
            a.ToTable("attachment_files");
            a.HasKey(x => x.Id);
            a.HasIndex(x => x.UploadedBy);
            a.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            a.HasOne<Message>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AttachmentChunk>(c =>
        {
            c.ToTable("attachment_chunks");
            c.HasKey(x => new { x.AttachmentId, x.Seq });
            c.HasOne<StoredAttachment>().WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Cluster.LeaderLeaseRow>(l =>
        {
            l.ToTable("leader_lease");
            l.HasKey(x => x.Name);
        });
        model.Entity<Revocation>(r =>
        {
            r.ToTable("revocations");
            r.HasKey(x => x.Id);
        });
        model.Entity<EventRow>(e =>
        {
            e.ToTable("events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.EventId).IsUnique();
            // A column default on PostgreSQL (the writing transaction's id): never sent by EF.
            e.Property(x => x.Xid).ValueGeneratedOnAdd();
        });
        model.Entity<WebhookEndpoint>(w => { w.ToTable("webhook_endpoints"); w.HasKey(x => x.Id); });
        model.Entity<WebhookQueueRow>(q => { q.ToTable("webhook_queue"); q.HasKey(x => x.Id); });
        model.Entity<WebhookDelivery>(d => { d.ToTable("webhook_deliveries"); d.HasKey(x => x.Id); });
        model.Entity<Email.EmailRecipient>(r => { r.ToTable("email_recipients"); r.HasKey(x => x.UserId); });
        model.Entity<Email.EmailOutboxRow>(o =>
        {
            o.ToTable("email_outbox");
            o.HasKey(x => x.Id);
            o.HasIndex(x => x.MessageId).IsUnique();
            o.HasIndex(x => new { x.State, x.NextAttemptAt });
        });
        model.Entity<Email.EmailInbound>(i => { i.ToTable("email_inbound"); i.HasKey(x => x.MessageId); });
        model.Entity<Email.EmailSetting>(s => { s.ToTable("email_settings"); s.HasKey(x => x.Name); });
        model.Entity<CannedResponse>(c =>
        {
            c.ToTable("canned_responses");
            c.HasKey(x => x.Id);
            c.HasIndex(x => x.Name).IsUnique();
        });

        // Columns are snake_case so the hand-written SQL of the hot path and the migrations read naturally.
        foreach (var entity in model.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
