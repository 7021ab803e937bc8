using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Notifications.Mail;
using Marketplace.Notifications.Recipients;
using Marketplace.Notifications.Settings;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Inbox;

/// <summary>
/// Who a notice goes to: users of the directory, or a subject an event names (who may not be in the
/// directory yet), or — <paramref name="HeldFor"/> — an audience (an organisation, a role, a point's
/// registrars) the directory knows nobody of yet.
/// </summary>
internal sealed record Addressee(string Subject, Recipient? Entry, Notice Notice, string? HeldFor = null)
{
    /// <summary>The audience's users, once the directory knows them (<see cref="HeldNotice"/>).</summary>
    public static Addressee Held(string audience, Notice notice) => new("held:" + audience, null, notice, audience);
}

/// <summary>
/// Makes the notifications of one event: one per recipient, never for the user who caused the
/// event, and — in the same run, before the event is acknowledged — the mail of each recipient who
/// wants this kind by mail. Everything is keyed by the event's message id, so a redelivery or a
/// replay of the event makes nothing twice.
/// </summary>
internal sealed partial class Notifier(
    AggregateStore<Notification> notifications,
    AggregateStore<HeldNotice> held,
    AggregateStore<OutgoingMail> mails,
    AggregateStore<NotificationSettings> settings,
    RecipientDirectory directory,
    MailSignal signal,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<Notifier> logger)
{
    public RecipientDirectory Directory => directory;

    /// <summary>
    /// Every active user of the organisations (null or empty codes are nobody), each with the same
    /// notice; an organisation the directory knows nobody of yet gets the notice held for its users.
    /// </summary>
    public async Task<List<Addressee>> OrganisationsAsync(Notice notice, CancellationToken ct, params string?[] organisations)
    {
        var addressees = new List<Addressee>();
        foreach (var organisation in organisations.OfType<string>().Where(o => o.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var users = await directory.OrganisationAsync(organisation, ct);
            if (users.Count == 0) addressees.Add(Addressee.Held(organisation, notice));
            else addressees.AddRange(users.Select(r => new Addressee(r.Subject, r, notice)));
        }
        return addressees;
    }

    /// <summary>The user with this subject, whether or not the directory knows them yet; nobody if the directory says the account is inactive.</summary>
    public async Task<List<Addressee>> UserAsync(string? subject, Notice notice, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(subject)) return [];
        var entry = await directory.FindAsync(subject, ct);
        return entry is { Active: false } ? [] : [new Addressee(subject, entry, notice)];
    }

    /// <summary>Every active user of the role; a role the directory knows nobody of yet gets the notice held for its users.</summary>
    public async Task<List<Addressee>> RoleAsync(string role, Notice notice, CancellationToken ct) =>
        Or(await directory.RoleAsync(role, ct), RecipientDirectory.RoleAudience(role), notice);

    /// <summary>The point's registrars; a point the directory knows no registrar of yet gets the notice held for them.</summary>
    public async Task<List<Addressee>> RegistrarsAsync(string point, Notice notice, CancellationToken ct) =>
        Or(await directory.RegistrarsAsync(point, ct), RecipientDirectory.RegistrarsAudience(point), notice);

    private static List<Addressee> Or(List<Recipient> users, string audience, Notice notice) =>
        users.Count == 0 ? [Addressee.Held(audience, notice)] : [.. users.Select(r => new Addressee(r.Subject, r, notice))];

    /// <summary>
    /// Makes the notification of <paramref name="kind"/> for each addressee (the first notice of a
    /// subject listed twice wins), leaving out <paramref name="causedBy"/>.
    /// </summary>
    public async Task NotifyAsync<T>(ConsumeContext<T> context, NotificationKind kind, IEnumerable<Addressee> addressees, string? causedBy = null) where T : class
    {
        var ct = context.CancellationToken;
        var messageId = context.MessageId ?? FallbackId(context.Message);
        var made = 0;
        foreach (var addressee in addressees.DistinctBy(a => a.Subject).Where(a => a.Subject != causedBy))
        {
            if (addressee.HeldFor is { } audience) made += await HoldAsync(messageId, kind, audience, addressee.Notice, causedBy, ct);
            else if (await MakeAsync(messageId, kind, addressee, ct)) made++;
        }
        if (made > 0) LogMade(made, WireCode.Of(kind), messageId);
    }

    /// <summary>
    /// Gives the notices held for the audience (an organisation, a role, a point's registrars) to its users, now
    /// that the directory knows some (called for each audience of every active user it learns of; an audience with
    /// nothing held costs one indexed read).
    /// </summary>
    public async Task ReleaseHeldAsync(string audience, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(audience)) return;
        foreach (var notice in await held.QueryAllAsync([FieldFilter.Eq("waitingFor", audience)], null, ct))
            await ReleaseAsync(notice, ct);
    }

    /// <summary>
    /// Holds the notice for the audience, then looks again: a user the directory learnt of
    /// between the first look and the hold would otherwise find nothing to release.
    /// </summary>
    /// <returns>how many notifications it made now.</returns>
    private async Task<int> HoldAsync(Guid messageId, NotificationKind kind, string audience, Notice notice, string? causedBy, CancellationToken ct)
    {
        var waiting = HeldNotice.Hold(messageId, audience, kind, notice, causedBy, time.GetUtcNow());
        try
        {
            await held.InsertAsync(waiting, ct);
            LogHeld(WireCode.Of(kind), messageId, audience);
        }
        catch (DocumentExistsException)
        {
            // a redelivery: the notice held by the first delivery (maybe released since) stands
            waiting = await held.FindAsync(waiting.StoreId, ct) ?? waiting;
        }
        return waiting.Waiting ? await ReleaseAsync(waiting, ct) : 0;
    }

    /// <returns>how many notifications it made (none while the organisation has no known user but the one who caused it).</returns>
    private async Task<int> ReleaseAsync(HeldNotice notice, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (notice.HasLapsed(now))
        {
            await EndAsync(notice, now, lapsed: true, ct);
            return 0;
        }
        // the user who caused the event knows of it: it waits for somebody else
        var users = (await directory.AudienceAsync(notice.Organisation, ct)).Where(u => u.Subject != notice.CausedBy).ToList();
        if (users.Count == 0) return 0;
        var made = 0;
        foreach (var user in users)
            if (await MakeAsync(notice.MessageId, notice.Kind, new Addressee(user.Subject, user, notice.Notice), ct)) made++;
        await EndAsync(notice, now, lapsed: false, ct);
        if (made > 0) LogReleased(made, WireCode.Of(notice.Kind), notice.MessageId, notice.Organisation);
        return made;
    }

    private async Task EndAsync(HeldNotice notice, DateTimeOffset now, bool lapsed, CancellationToken ct)
    {
        if (!notice.End(now, lapsed)) return;
        try
        {
            await held.SaveAsync(notice, ct);
        }
        catch (ConcurrencyConflictException)
        {
            // another release ended it first (the notifications it made are keyed like these)
        }
    }

    /// <returns>whether the notification is new (false: this event made it before).</returns>
    private async Task<bool> MakeAsync(Guid messageId, NotificationKind kind, Addressee addressee, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var address = await MailAddressAsync(addressee, kind, ct);
        var notification = Notification.Make(messageId, addressee.Subject, kind, addressee.Notice, address is not null, now);
        var created = true;
        try
        {
            await notifications.InsertAsync(notification, ct);
        }
        catch (DocumentExistsException)
        {
            // a redelivery, or a run that stopped after the notification and before its mail:
            // what was decided then stands, and its mail is written if it was not
            created = false;
            notification = await notifications.FindAsync(notification.StoreId, ct) ?? notification;
            address = notification.Mailed && options.Value.MailEnabled ? address ?? await AddressAsync(addressee, ct) : null;
        }
        if (address is not null) await WriteMailAsync(notification, address, addressee.Entry?.DisplayName, now, ct);
        return created;
    }

    private async Task WriteMailAsync(Notification notification, string address, string? name, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await mails.InsertAsync(MailComposer.Compose(notification, address, name, options.Value, now), ct);
            signal.Notify();
        }
        catch (DocumentExistsException)
        {
            // written by the first delivery of this event
        }
    }

    /// <summary>Where this kind goes by mail for the addressee, or null: no mail (none configured, switched off, or no address).</summary>
    private async Task<string?> MailAddressAsync(Addressee addressee, NotificationKind kind, CancellationToken ct)
    {
        if (!options.Value.MailEnabled) return null;
        var chosen = await settings.FindAsync(addressee.Subject, ct);
        var wants = chosen?.Mails(kind) ?? NotificationSettings.DefaultFor(addressee.Entry?.IsDemo ?? false);
        if (!wants) return null;
        var address = chosen?.Email ?? addressee.Entry?.Email;
        return ContactFormats.IsEmail(address) ? address!.Trim() : null;
    }

    private async Task<string?> AddressAsync(Addressee addressee, CancellationToken ct)
    {
        var address = (await settings.FindAsync(addressee.Subject, ct))?.Email ?? addressee.Entry?.Email;
        return ContactFormats.IsEmail(address) ? address!.Trim() : null;
    }

    /// <summary>A message without an id (not one of the market's outboxes): the same content, the same id.</summary>
    private static Guid FallbackId<T>(T message) where T : class =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes(typeof(T).FullName + "\n" + JsonSerializer.Serialize(message, MarketJson.Wire))).AsSpan(0, 16));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} {Kind} notification(s) made from message {MessageId}")]
    private partial void LogMade(int count, string kind, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} notice of message {MessageId} is held for {Audience}: the directory knows none of its users yet")]
    private partial void LogHeld(string kind, Guid messageId, string audience);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} held {Kind} notification(s) of message {MessageId} made for {Audience}")]
    private partial void LogReleased(int count, string kind, Guid messageId, string audience);
}
