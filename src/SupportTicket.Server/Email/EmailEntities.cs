namespace SupportTicket.Server.Email;

/// <summary>A customer's address (the <c>email</c> claim of the last token seen) and their mail preference.</summary>
public sealed class EmailRecipient
{
    public string UserId { get; set; } = "";
    public string? Email { get; set; }
    public bool Notifications { get; set; } = true;
    public long UpdatedAt { get; set; }
}

/// <summary>
/// One mail to send, written in the transaction that caused it (a digest with the ticket's digest clock, a close
/// mail with the close, a refusal with the inbound mail's row). Its Message-ID is chosen here, so a retry after a
/// crash sends the same mail again, never a second one.
/// </summary>
public sealed class EmailOutboxRow
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? TicketId { get; set; }
    public string? UserId { get; set; }
    public string ToAddress { get; set; } = "";
    /// <summary>Digest: the customer-visible seqs it covers.</summary>
    public long FromSeq { get; set; }
    public long UptoSeq { get; set; }
    /// <summary>Refusal: the subject and the explanation; the mail it answers.</summary>
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? InReplyTo { get; set; }
    public string State { get; set; } = EmailStates.Waiting;
    public int Attempts { get; set; }
    /// <summary>Unix ms.</summary>
    public long NextAttemptAt { get; set; }
    public long CreatedAt { get; set; }
    public long? SentAt { get; set; }
    public string? LastError { get; set; }
}

public static class EmailKinds
{
    public const string Digest = "digest";
    /// <summary>A digest that carries the auto-close warning: its own subject and wording.</summary>
    public const string AutoCloseWarning = "auto_close_warning";
    public const string Closed = "closed";
    public const string Refusal = "refusal";
}

public static class EmailStates
{
    public const string Waiting = "waiting";
    public const string Sent = "sent";
    public const string Parked = "parked";
}

/// <summary>Each mail read from the mailbox, by Message-ID: the unique key makes it processed once across nodes and restarts.</summary>
public sealed class EmailInbound
{
    public string MessageId { get; set; } = "";
    public string? TicketId { get; set; }
    public string Outcome { get; set; } = "";
    public long ReceivedAt { get; set; }
}

/// <summary>Server-wide values the mail features share between nodes (the signing key).</summary>
public sealed class EmailSetting
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
