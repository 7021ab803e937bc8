using System.Security.Cryptography;
using System.Text;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Notifications.Inbox;

/// <summary>What a notification says: a title, one or two sentences, and the portal page it is about.</summary>
internal sealed record Notice(string Title, string Body, string Link);

/// <summary>
/// One notification in one user's inbox (站内消息). Made once per event and recipient: its id is
/// derived from the event's message id and the recipient, so a redelivered or replayed event finds
/// it there. Only its reader changes it, and only from unread to read.
/// </summary>
internal sealed class Notification : AggregateRoot
{
    public const string Collection = "notifications";

    private Notification() { }

    public Guid Id { get; private set; }
    /// <summary>The subject of the user it is for.</summary>
    public string Recipient { get; private set; } = "";
    public NotificationKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public string Link { get; private set; } = "";
    public bool Read { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The message id of the event it was made from.</summary>
    public Guid MessageId { get; private set; }
    /// <summary>Whether it also goes by mail (decided once, when it is made, so a replay decides the same).</summary>
    public bool Mailed { get; private set; }

    public override string StoreId => Id.ToString();

    /// <summary>The id of the notification of one event for one recipient.</summary>
    public static Guid IdFor(Guid messageId, string recipient)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"notification\n{messageId:N}\n{recipient}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    public static Notification Make(Guid messageId, string recipient, NotificationKind kind, Notice notice, bool mailed, DateTimeOffset now) => new()
    {
        Id = IdFor(messageId, recipient),
        Recipient = recipient,
        Kind = kind,
        Title = notice.Title,
        Body = notice.Body,
        Link = notice.Link,
        CreatedAt = now,
        MessageId = messageId,
        Mailed = mailed,
    };

    public bool IsFor(string subject) => Recipient == subject;

    /// <returns>whether it was unread (reading it again changes nothing).</returns>
    public bool MarkRead(DateTimeOffset now)
    {
        if (Read) return false;
        Read = true;
        ReadAt = now;
        return true;
    }

    /// <summary>The index value that finds a user's unread (or read) notifications.</summary>
    public static string RecipientRead(string recipient, bool read) => recipient + "|" + (read ? "read" : "unread");

    public static string CreatedKey(DateTimeOffset at, Guid id) => IndexFormat.TimeKey(at, id);
}
