using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Notifications.Mail;

internal enum MailStatus { Pending, Sent, Failed }

/// <summary>
/// A mail waiting to be sent, written in the same consumer run as its notification (its id is the
/// notification's, so a replayed event makes no second one). The sender claims it with a versioned
/// write before sending, so two replicas never send it both; a failure puts it back with a later
/// due time, until it is given up.
/// </summary>
internal sealed class OutgoingMail : AggregateRoot
{
    public const string Collection = "outgoing_mail";

    private OutgoingMail() { }

    public Guid Id { get; private set; }
    public string Recipient { get; private set; } = "";
    public string To { get; private set; } = "";
    public string? ToName { get; private set; }
    public string Subject { get; private set; } = "";
    public string TextBody { get; private set; } = "";
    public string HtmlBody { get; private set; } = "";
    public MailStatus Status { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>When the sender may take it next (also the end of a claim while it is being sent).</summary>
    public DateTimeOffset DueAt { get; private set; }
    public string? ClaimedBy { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? FailedAt { get; private set; }

    public override string StoreId => Id.ToString();

    public static OutgoingMail Write(Guid notificationId, string recipient, string to, string? toName, string subject, string text, string html, DateTimeOffset now) => new()
    {
        Id = notificationId,
        Recipient = recipient,
        To = to,
        ToName = toName,
        Subject = subject,
        TextBody = text,
        HtmlBody = html,
        Status = MailStatus.Pending,
        DueAt = now,
        CreatedAt = now,
    };

    public bool IsDue(DateTimeOffset now) => Status == MailStatus.Pending && DueAt <= now;

    /// <summary>This replica takes the mail to send it; saved with the version it was read at, so only one replica wins.</summary>
    public void Claim(string owner, DateTimeOffset now, TimeSpan timeout)
    {
        ClaimedBy = owner;
        Attempts++;
        DueAt = now + timeout;
    }

    public void Sent(DateTimeOffset now)
    {
        Status = MailStatus.Sent;
        SentAt = now;
        ClaimedBy = null;
        LastError = null;
    }

    /// <summary>The attempt failed: try again after the back-off, or give up.</summary>
    /// <returns>whether the mail was given up.</returns>
    public bool Failed(string error, DateTimeOffset now, MailDeliveryOptions options)
    {
        ClaimedBy = null;
        LastError = error.Length > 500 ? error[..500] : error;
        if (Attempts >= options.MaxAttempts || now - CreatedAt >= options.GiveUpAfter)
        {
            Status = MailStatus.Failed;
            FailedAt = now;
            DueAt = now;
            return true;
        }
        var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.RetryDelay.Ticks * (1L << Math.Min(Attempts - 1, 20))));
        DueAt = now + delay;
        return false;
    }
}
