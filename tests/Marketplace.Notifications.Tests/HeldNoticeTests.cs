using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using MassTransit;

namespace Marketplace.Notifications.Tests;

/// <summary>
/// The directory learns of users from the gateway's account events, which travel beside every other
/// event: an event can name an organisation whose users are still on their way (just after a start).
/// Its notice waits for them instead of being lost.
/// </summary>
public sealed class HeldNoticeTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    [Fact]
    public async Task An_interest_in_a_listing_whose_owners_the_directory_does_not_know_yet_reaches_them_once_it_does()
    {
        var owners = NotificationsApi.Org("late");
        var sender = await api.Account(NotificationsApi.Org("early"));
        var messageId = NewId.NextGuid();
        var expressed = new InterestExpressed
        {
            Interest = Events.Interest(sender.Organisation, owners, "固态电解质薄膜制备技术"), By = sender.Subject, ExpressedAt = DateTimeOffset.UtcNow,
        };
        await api.Redeliver(expressed, messageId);

        // the owner's account arrives after the event; a second delivery of the event, in between, holds nothing twice
        await api.Redeliver(expressed, messageId);
        var owner = await api.Account(owners, Roles.University);
        var notice = Assert.Single(await api.Inbox(owner, "interest_received"));
        Assert.Equal("株洲轨道装备公司对您的成果“固态电解质薄膜制备技术”表达了对接意向", (string)notice["title"]!);
        Assert.Equal(1, await api.Unread(owner));
        Assert.Empty(await api.Inbox(sender));

        // given once: the account announced again (a replay at start) and the event redelivered make nothing more
        await api.Account(owners, Roles.University, subject: owner.Subject, version: 2);
        await api.Redeliver(expressed, messageId);
        Assert.Single(await api.Inbox(owner, "interest_received"));
    }

    [Fact]
    public async Task A_held_notice_goes_to_the_users_known_when_it_is_given_and_never_to_the_one_who_caused_it()
    {
        var org = NotificationsApi.Org("both");
        var causedBy = $"enterprise-{Guid.NewGuid():N}"[..24];
        var messageId = NewId.NextGuid();
        await api.Redeliver(new ListingRejected
        {
            ListingId = Guid.NewGuid(), Version = 2, OwnerOrg = org, Title = "新型储能材料", SubMarket = "changsha",
            Reason = "缺少专利证书扫描件", RejectedAt = DateTimeOffset.UtcNow,
        }, messageId);
        await api.Redeliver(new InterestWithdrawn { Interest = Events.Interest(NotificationsApi.Org("from"), org), By = causedBy, WithdrawnAt = DateTimeOffset.UtcNow }, NewId.NextGuid());

        // the first user known is the one who withdrew (as if): they hear of the rejection and not of their own step
        var causer = await api.Account(org, subject: causedBy);
        Assert.Equal(["listing_rejected"], (await api.Inbox(causer)).Select(n => (string)n["kind"]!));
        var first = await api.Account(org);
        Assert.Equal(["interest_withdrawn"], (await api.Inbox(first)).Select(n => (string)n["kind"]!));
        // a user who joins later was not there when the organisation was told
        var later = await api.Account(org);
        Assert.Empty(await api.Inbox(later));
    }

    [Fact]
    public async Task An_organisation_whose_users_are_known_is_told_at_once_and_holds_nothing()
    {
        var owner = await api.Account(NotificationsApi.Org("known"), Roles.University);
        var sender = await api.Account(NotificationsApi.Org("sender"));
        await api.Deliver(new InterestExpressed { Interest = Events.Interest(sender.Organisation, owner.Organisation), By = sender.Subject, ExpressedAt = DateTimeOffset.UtcNow });
        Assert.Single(await api.Inbox(owner, "interest_received"));

        // a second user of the organisation announced later finds nothing held for it
        var second = await api.Account(owner.Organisation, Roles.University);
        Assert.Empty(await api.Inbox(second));
    }
}
