using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Notifications.Settings;

/// <summary>
/// A user's choice of which notifications also come by mail, and to which address. Kinds the user
/// never chose follow the default: every kind on for a normal account, every kind off for a demo
/// account (nobody is to receive mail for what a visitor tries out). A kind added by a later
/// release follows the default too.
/// </summary>
internal sealed class NotificationSettings : AggregateRoot
{
    public const string Collection = "notification_settings";

    private Dictionary<string, bool> _emailKinds = [];

    private NotificationSettings() { }

    public string Subject { get; private set; } = "";
    /// <summary>Whether the account was a demo account when the settings were made (it decides the defaults).</summary>
    public bool IsDemo { get; private set; }
    /// <summary>An address of the user's own choosing; null: the account's address.</summary>
    public string? Email { get; private set; }
    /// <summary>The kinds the user chose, by wire code.</summary>
    public IReadOnlyDictionary<string, bool> EmailKinds { get => _emailKinds; private set => _emailKinds = new(value); }
    public DateTimeOffset UpdatedAt { get; private set; }

    public override string StoreId => Subject;

    public static NotificationSettings Defaults(string subject, bool isDemo, DateTimeOffset now) =>
        new() { Subject = subject, IsDemo = isDemo, UpdatedAt = now };

    public static bool DefaultFor(bool isDemo) => !isDemo;

    public bool Mails(NotificationKind kind) => _emailKinds.TryGetValue(WireCode.Of(kind), out var on) ? on : DefaultFor(IsDemo);

    /// <param name="email">null: unchanged; empty: back to the account's address.</param>
    public void Change(string? email, IReadOnlyDictionary<NotificationKind, bool> kinds, DateTimeOffset now)
    {
        if (email is not null) Email = email.Length == 0 ? null : email;
        foreach (var (kind, on) in kinds) _emailKinds[WireCode.Of(kind)] = on;
        UpdatedAt = now;
    }
}
