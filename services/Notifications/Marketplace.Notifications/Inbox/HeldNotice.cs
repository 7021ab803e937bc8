using System.Security.Cryptography;
using System.Text;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Notifications.Inbox;

/// <summary>
/// A notice for an audience the directory knows no active user of yet: an organisation, a role (the admins)
/// or a registration point's registrars (<see cref="Recipients.RecipientDirectory.AudienceAsync"/>). The
/// directory learns of users from the gateway's account events, which travel the bus beside every other event:
/// just after a start, or while the gateway's outbox catches up, an event can name an audience whose users are
/// still on their way. The notice is kept instead of dropped, and the audience's users get it once the directory
/// knows one of them (<see cref="Notifier.ReleaseHeldAsync"/>). One per event and audience: its id comes from
/// both, so a redelivery holds nothing twice.
/// </summary>
internal sealed class HeldNotice : AggregateRoot
{
    public const string Collection = "held_notices";

    /// <summary>How long a notice waits for its organisation's first user; older ones lapse unsent.</summary>
    public static readonly TimeSpan WaitsFor = TimeSpan.FromDays(30);

    private HeldNotice() { }

    public Guid Id { get; private set; }
    public Guid MessageId { get; private set; }
    /// <summary>
    /// Who it waits for: an organisation's code, or <c>role:…</c>, or <c>registrars:…</c> (an organisation code has no
    /// colon; <see cref="Recipients.RecipientDirectory.RoleAudience"/>). Named for what it held first, and stored so.
    /// </summary>
    public string Organisation { get; private set; } = "";
    public NotificationKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public string Link { get; private set; } = "";
    /// <summary>The user who caused the event, who does not hear of it.</summary>
    public string? CausedBy { get; private set; }
    public DateTimeOffset HeldAt { get; private set; }
    /// <summary>When it went to the organisation's users, or lapsed; null while it waits.</summary>
    public DateTimeOffset? EndedAt { get; private set; }
    public bool Lapsed { get; private set; }

    public override string StoreId => Id.ToString();

    public Notice Notice => new(Title, Body, Link);

    public bool Waiting => EndedAt is null;

    public static Guid IdFor(Guid messageId, string organisation) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"held\n{messageId:N}\n{organisation}")).AsSpan(0, 16));

    public static HeldNotice Hold(Guid messageId, string organisation, NotificationKind kind, Notice notice, string? causedBy, DateTimeOffset now) => new()
    {
        Id = IdFor(messageId, organisation), MessageId = messageId, Organisation = organisation, Kind = kind,
        Title = notice.Title, Body = notice.Body, Link = notice.Link, CausedBy = causedBy, HeldAt = now,
    };

    public bool HasLapsed(DateTimeOffset now) => now - HeldAt > WaitsFor;

    /// <returns>whether it was still waiting.</returns>
    public bool End(DateTimeOffset now, bool lapsed)
    {
        if (!Waiting) return false;
        EndedAt = now;
        Lapsed = lapsed;
        return true;
    }

    /// <summary>The index value that finds an audience's waiting notices (empty once ended).</summary>
    public static string WaitingFor(HeldNotice notice) => notice.Waiting ? notice.Organisation : "";
}
