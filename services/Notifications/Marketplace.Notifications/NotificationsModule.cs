using Marketplace.Notifications.Events;
using Marketplace.Notifications.Inbox;
using Marketplace.Notifications.Mail;
using Marketplace.Notifications.Recipients;
using Marketplace.Notifications.Settings;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Notifications;

/// <summary>
/// The notifications service as a module (站内消息 and mail): hosted alone by
/// Marketplace.Notifications.Api, or inside the gateway in embedded mode. It makes notifications
/// from the other services' events, keeps a directory of users from the gateway's account events,
/// and sends mail over SMTP when <c>Notifications:Smtp:Host</c> is set.
/// </summary>
public static class NotificationsModule
{
    public const string StoreKey = "notifications";

    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Notifications");
        builder.Services.Configure<NotificationsOptions>(section);
        var options = section.Get<NotificationsOptions>() ?? new NotificationsOptions();
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var portal) || portal.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"Notifications:PublicBaseUrl '{options.PublicBaseUrl}' is not an absolute http(s) address.");
        if (options.MailEnabled && !ContactFormats.IsEmail(options.Smtp.From))
            throw new InvalidOperationException($"Notifications:Smtp:From '{options.Smtp.From}' is not an e-mail address.");
        if (options.MailEnabled && options.Smtp.Port is < 1 or > 65535)
            throw new InvalidOperationException($"Notifications:Smtp:Port {options.Smtp.Port} is not a TCP port.");

        builder.AddAggregates(StoreKey, Notification.Collection, new IndexFields<Notification>
        {
            { "recipient", n => n.Recipient },
            { "recipientRead", n => Notification.RecipientRead(n.Recipient, n.Read) },
            { "createdKey", n => Notification.CreatedKey(n.CreatedAt, n.Id) },
            // a user's inbox, and their unread ones (counted for the badge)
            new IndexShape(["recipient"], "createdKey"),
            new IndexShape(["recipientRead"], "createdKey"),
        }, outbox: false);
        builder.AddAggregates(StoreKey, Recipient.Collection, new IndexFields<Recipient>
        {
            { "organisation", r => r.Organisation },
            { "role", r => r.Role },
            { "subMarket", r => r.SubMarket ?? "" },
            { "active", r => r.Active ? "true" : "false" },
            // an organisation's active users; a point's registrars
            new IndexShape(["organisation", "active"]),
            new IndexShape(["role", "subMarket", "active"]),
            // every active user of a role (the admins)
            new IndexShape(["role", "active"]),
            new IndexShape(["role", "organisation", "active"]),
        }, outbox: false);
        // an organisation's notices that wait for the directory to know its users
        builder.AddAggregates(StoreKey, HeldNotice.Collection, new IndexFields<HeldNotice>
        {
            { "waitingFor", HeldNotice.WaitingFor },
        }, outbox: false);
        // read by the user's subject only
        builder.AddAggregates(StoreKey, NotificationSettings.Collection, new IndexFields<NotificationSettings>(), outbox: false);
        builder.AddAggregates(StoreKey, OutgoingMail.Collection, new IndexFields<OutgoingMail>
        {
            { "status", m => WireCode.Of(m.Status) },
            { "dueAt", m => IndexFormat.Time(m.DueAt) },
            { "failedAt", m => m.FailedAt is { } at ? IndexFormat.Time(at) : "" },
            // the sender's due mail (and how much waits), the health check's recent failures
            new IndexShape(["status"], "dueAt"),
            new IndexShape(["status"], "failedAt"),
        }, outbox: false);

        builder.Services.AddSingleton<RecipientDirectory>();
        builder.Services.AddHostedService<DirectoryFill>();
        builder.Services.AddSingleton<MailSignal>();
        builder.Services.AddSingleton<Notifier>();
        if (options.MailEnabled)
        {
            builder.Services.AddSingleton<MailSender>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("mail",
                sp => ActivatorUtilities.CreateInstance<MailHealth>(sp), HealthStatus.Degraded, ["ready"]));
        }

        builder.Services.AddMarketConsumers(x =>
        {
            x.AddConsumer<AccountChangedConsumer>().Endpoint(e => e.Name = "notifications-accounts");
            x.AddConsumer<ListingNotices>().Endpoint(e => e.Name = "notifications-listings");
            x.AddConsumer<InterestNotices>().Endpoint(e => e.Name = "notifications-interests");
            x.AddConsumer<BrokerNotices>().Endpoint(e => e.Name = "notifications-broker");
            x.AddConsumer<RegistrationNotices>().Endpoint(e => e.Name = "notifications-registration");
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapNotificationEndpoints();
        app.MapSettingsEndpoints();
        return app;
    }
}
