using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Notifications.Mail;
using Marketplace.TestKit;
using MassTransit;

namespace Marketplace.Notifications.Tests;

internal static class MailWaits
{
    /// <summary>Waits (up to 15 s) until the stored mail of a notification is as the test expects, and returns it.</summary>
    public static async Task<OutgoingMail> Mail(this MailNotificationsApi api, Guid notificationId, Func<OutgoingMail, bool> until, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (await api.Outgoing(notificationId) is { } mail && until(mail)) return mail;
            Assert.True(DateTime.UtcNow < deadline, $"The mail of {notificationId} is not {what}.");
            await Task.Delay(25);
        }
    }

    public static async Task<Guid> OnlyNotification(this NotificationsApi api, User user) => (Guid)Assert.Single(await api.Inbox(user))["id"]!;

    public static ListingRejected Rejected(string ownerOrg) => new()
    {
        ListingId = Guid.NewGuid(), Version = 2, OwnerOrg = ownerOrg, Title = "高温超导带材制备技术", SubMarket = "changsha",
        Reason = "请补充专利权属证明", RejectedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>Notifications by mail, through a real SMTP server: what arrives, for whom, and exactly once.</summary>
public sealed class MailTests(MailNotificationsApi api) : IClassFixture<MailNotificationsApi>
{
    [Fact]
    public async Task The_mail_arrives_with_the_chinese_title_as_subject_the_text_and_the_absolute_link()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var rejected = MailWaits.Rejected(user.Organisation);
        await api.Deliver(rejected);

        var mail = await api.Smtp.WaitFor(user.Email!);
        Assert.Equal("【潇湘科技要素大市场】您的“高温超导带材制备技术”未通过审核", mail.Subject);
        var from = Assert.Single(mail.From.Mailboxes);
        Assert.Equal(("潇湘科技要素大市场", "noreply@market.example.cn"), (from.Name, from.Address));
        var link = $"https://market.example.cn/my/listings/{rejected.ListingId}/edit";
        Assert.Contains("请补充专利权属证明", mail.TextBody);
        Assert.Contains(link, mail.TextBody);
        Assert.Contains("用户 " + user.Subject, mail.TextBody);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody);
        Assert.Contains("高温超导带材制备技术", mail.HtmlBody);

        var stored = await api.Mail(await api.OnlyNotification(user), m => m.Status == MailStatus.Sent, "sent");
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(0, await api.Sender.SendDueAsync(CancellationToken.None)); // nothing left to send
        Assert.Single(api.Smtp.To(user.Email!));
    }

    [Fact]
    public async Task Text_from_a_listing_cannot_inject_markup_into_the_mail()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        await api.Deliver(MailWaits.Rejected(user.Organisation) with { Title = "<script>alert(1)</script>电池" });

        var mail = await api.Smtp.WaitFor(user.Email!);
        Assert.DoesNotContain("<script>", mail.HtmlBody);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody);
    }

    [Fact]
    public async Task A_demo_account_gets_the_notification_but_no_mail_by_default()
    {
        var org = NotificationsApi.Org("demo");
        var demo = await api.Account(org, Roles.University, demo: true);
        var colleague = await api.Account(org, Roles.University);
        await api.Deliver(new ListingPublished { Listing = Events.Listing(org) });

        await api.Smtp.WaitFor(colleague.Email!);
        var notification = await api.OnlyNotification(demo);
        Assert.Null(await api.Outgoing(notification)); // decided in the consumer run: no mail is written at all
        Assert.Empty(api.Smtp.To(demo.Email!));
    }

    [Fact]
    public async Task A_user_who_switched_a_kind_off_gets_the_notification_but_no_mail_and_other_kinds_still_come()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        await (await api.Client.Send(HttpMethod.Put, "/api/notifications/settings", user.Token,
            new { emailKinds = new Dictionary<string, bool> { ["listing_rejected"] = false } })).Expect(200);

        await api.Deliver(MailWaits.Rejected(user.Organisation));
        var rejected = await api.OnlyNotification(user);
        Assert.Null(await api.Outgoing(rejected));

        await api.Deliver(new ListingPublished { Listing = Events.Listing(user.Organisation) });
        var mail = await api.Smtp.WaitFor(user.Email!);
        Assert.Contains("已审核通过并发布", mail.Subject);
        Assert.Single(api.Smtp.To(user.Email!));
    }

    [Fact]
    public async Task Mail_goes_to_the_address_the_user_chose()
    {
        var user = await api.Account(NotificationsApi.Org("zzrail"));
        var chosen = $"office-{Guid.NewGuid():N}@zzrail.example.cn";
        await (await api.Client.Send(HttpMethod.Put, "/api/notifications/settings", user.Token, new { email = chosen })).Expect(200);

        await api.Deliver(MailWaits.Rejected(user.Organisation));
        await api.Smtp.WaitFor(chosen);
        Assert.Empty(api.Smtp.To(user.Email!));
    }

    [Fact]
    public async Task A_replayed_event_sends_no_second_mail()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var rejected = MailWaits.Rejected(user.Organisation);
        var messageId = NewId.NextGuid();
        await api.Redeliver(rejected, messageId);
        await api.Smtp.WaitFor(user.Email!);
        var notification = await api.OnlyNotification(user);
        await api.Mail(notification, m => m.Status == MailStatus.Sent, "sent");

        await api.Redeliver(rejected, messageId);
        Assert.Equal(0, await api.Sender.SendDueAsync(CancellationToken.None));
        Assert.Single(api.Smtp.To(user.Email!));
        Assert.Equal(MailStatus.Sent, (await api.Outgoing(notification))!.Status);
    }

    [Fact]
    public async Task Senders_racing_for_the_same_mails_send_each_once()
    {
        var org = NotificationsApi.Org("hnu");
        var users = new List<User>();
        for (var i = 0; i < 6; i++) users.Add(await api.Account(org, Roles.University));
        await api.Deliver(new ListingPublished { Listing = Events.Listing(org) });

        // the host's own sender and three more passes, as four replicas would run them
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => api.Sender.SendDueAsync(CancellationToken.None))));
        foreach (var user in users) await api.Smtp.WaitFor(user.Email!);
        Assert.Equal(0, await api.Sender.SendDueAsync(CancellationToken.None));
        Assert.All(users, u => Assert.Single(api.Smtp.To(u.Email!)));
    }

    [Fact]
    public async Task While_the_server_answers_with_errors_mail_waits_and_arrives_once_it_accepts_again()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        api.Smtp.Refusing = true;
        try
        {
            await api.Deliver(MailWaits.Rejected(user.Organisation));
            var notification = await api.OnlyNotification(user);
            var waiting = await api.Mail(notification, m => m.Attempts >= 1 && m.LastError is not null, "refused");
            Assert.Equal(MailStatus.Pending, waiting.Status);
            Assert.Contains("451", waiting.LastError);
            Assert.True(waiting.DueAt > api.Clock.Now, "A refused mail waits before its next attempt.");
        }
        finally
        {
            api.Smtp.Refusing = false;
        }
        api.Clock.Now += TimeSpan.FromHours(1);

        await api.Smtp.WaitFor(user.Email!);
        await api.Mail(await api.OnlyNotification(user), m => m.Status == MailStatus.Sent, "sent");
        Assert.Single(api.Smtp.To(user.Email!));
    }
}

/// <summary>An SMTP server that is down when mail is due: the mail waits, and arrives once when the server is back.</summary>
public sealed class MailOutageTests(MailOutageApi api) : IClassFixture<MailOutageApi>
{
    [Fact]
    public async Task While_the_server_is_down_mail_waits_and_arrives_exactly_once_when_it_is_back()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        await api.Deliver(MailWaits.Rejected(user.Organisation));
        var notification = await api.OnlyNotification(user);

        var waiting = await api.Mail(notification, m => m.Attempts >= 1 && m.LastError is not null, "failed once");
        Assert.Equal(MailStatus.Pending, waiting.Status);
        Assert.Empty(api.Smtp.Received);
        Assert.Equal(1, await api.Unread(user)); // the inbox does not wait for mail

        api.Smtp.Start();
        api.Clock.Now += TimeSpan.FromHours(1);
        await api.Smtp.WaitFor(user.Email!);
        var sent = await api.Mail(notification, m => m.Status == MailStatus.Sent, "sent");
        Assert.True(sent.Attempts >= 2);
        Assert.Equal(0, await api.Sender.SendDueAsync(CancellationToken.None));
        Assert.Single(api.Smtp.Received);
    }
}

/// <summary>A server that never comes back: after the last attempt the mail is given up, logged, and health says degraded.</summary>
public sealed class MailGivingUpTests(MailGivingUpApi api) : IClassFixture<MailGivingUpApi>
{
    private async Task<string?> MailHealth()
    {
        var health = JsonNode.Parse(await (await api.Client.GetAsync("/health/ready")).Content.ReadAsStringAsync())!;
        return (string?)health["checks"]?["mail"]?["status"];
    }

    [Fact]
    public async Task A_mail_that_never_gets_through_is_given_up_after_the_last_attempt_and_health_is_degraded()
    {
        Assert.Equal("Healthy", await MailHealth());
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        await api.Deliver(MailWaits.Rejected(user.Organisation));
        var notification = await api.OnlyNotification(user);

        await api.Mail(notification, m => m.Attempts == 1 && m.LastError is not null, "failed once");
        api.Clock.Now += TimeSpan.FromHours(1);
        var failed = await api.Mail(notification, m => m.Status == MailStatus.Failed, "given up");
        Assert.Equal(2, failed.Attempts);

        Assert.Equal("Degraded", await MailHealth());
        Assert.Equal(1, await api.Unread(user));
    }
}
