using Marketplace.Contracts;

namespace Marketplace.Portal.Api;

// What the portal reads of the notifications service (GET /api/notifications …) and what it sends it.

public sealed record NotificationView
{
    public Guid Id { get; init; }
    public NotificationKind Kind { get; init; }
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    /// <summary>The portal page the notification is about.</summary>
    public string Link { get; init; } = "";
    public bool Read { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A page of the user's notifications, with how many of all of them are unread.</summary>
public sealed record NotificationPage
{
    public IReadOnlyList<NotificationView> Items { get; init; } = [];
    public long Total { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    public long Unread { get; init; }
}

/// <summary><c>GET /api/notifications/unread</c>.</summary>
public sealed record UnreadCount(long Unread);

/// <summary><c>POST /api/notifications/read-all</c>: how many were marked.</summary>
public sealed record MarkedRead(int Updated);

/// <summary><c>GET /api/notifications/settings</c>: where mail goes and which kinds come by mail.</summary>
public sealed record NotificationSettingsView
{
    /// <summary>The address mail goes to: the user's own choice, else the account's; null when there is none.</summary>
    public string? Email { get; init; }
    /// <summary>Whether <see cref="Email"/> is an address the user chose (false: the account's).</summary>
    public bool CustomEmail { get; init; }
    /// <summary>Per kind (wire code), whether it also comes by mail.</summary>
    public IReadOnlyDictionary<string, bool> EmailKinds { get; init; } = new Dictionary<string, bool>();
    /// <summary>Whether this market sends mail at all.</summary>
    public bool MailEnabled { get; init; }
}

/// <summary>The body of <c>PUT /api/notifications/settings</c>: an empty email goes back to the account's address.</summary>
public sealed record NotificationSettingsRequest(string Email, IReadOnlyDictionary<string, bool> EmailKinds);
