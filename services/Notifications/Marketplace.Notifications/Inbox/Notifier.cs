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

/// <summary>Who a notice goes to: users of the directory, or a subject an event names (who may not be in the directory yet).</summary>
internal sealed record Addressee(string Subject, Recipient? Entry, Notice Notice);

/// <summary>
/// Makes the notifications of one event: one per recipient, never for the user who caused the
/// event, and — in the same run, before the event is acknowledged — the mail of each recipient who
/// wants this kind by mail. Everything is keyed by the event's message id, so a redelivery or a
/// replay of the event makes nothing twice.
/// </summary>
internal sealed partial class Notifier(
    AggregateStore<Notification> notifications,
    AggregateStore<OutgoingMail> mails,
    AggregateStore<NotificationSettings> settings,
    RecipientDirectory directory,
    MailSignal signal,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<Notifier> logger)
{
    public RecipientDirectory Directory => directory;

    /// <summary>Every active user of the organisations (null or empty codes are nobody), each with the same notice.</summary>
    public async Task<List<Addressee>> OrganisationsAsync(Notice notice, CancellationToken ct, params string?[] organisations)
    {
        var addressees = new List<Addressee>();
        foreach (var organisation in organisations.OfType<string>().Where(o => o.Length > 0).Distinct(StringComparer.Ordinal))
            addressees.AddRange((await directory.OrganisationAsync(organisation, ct)).Select(r => new Addressee(r.Subject, r, notice)));
        return addressees;
    }

    /// <summary>The user with this subject, whether or not the directory knows them yet; nobody if the directory says the account is inactive.</summary>
    public async Task<List<Addressee>> UserAsync(string? subject, Notice notice, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(subject)) return [];
        var entry = await directory.FindAsync(subject, ct);
        return entry is { Active: false } ? [] : [new Addressee(subject, entry, notice)];
    }

    public async Task<List<Addressee>> RoleAsync(string role, Notice notice, CancellationToken ct) =>
        [.. (await directory.RoleAsync(role, ct)).Select(r => new Addressee(r.Subject, r, notice))];

    public async Task<List<Addressee>> RegistrarsAsync(string point, Notice notice, CancellationToken ct) =>
        [.. (await directory.RegistrarsAsync(point, ct)).Select(r => new Addressee(r.Subject, r, notice))];

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
            if (await MakeAsync(messageId, kind, addressee, ct)) made++;
        if (made > 0) LogMade(made, WireCode.Of(kind), messageId);
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
}
