using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.TestKit;
using MassTransit;

namespace Marketplace.Notifications.Tests;

/// <summary>
/// An event published again with its message id (the outbox after a crash, a bus redelivering)
/// makes no second notification; a new event about the same thing is news and does.
/// </summary>
public sealed class ReplayTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    [Fact]
    public async Task The_same_event_delivered_twice_makes_one_notification_per_user()
    {
        var org = NotificationsApi.Org("hnu");
        var (first, second) = (await api.Account(org, Roles.University), await api.Account(org, Roles.University));
        var published = new ListingPublished { Listing = Events.Listing(org) };
        var messageId = NewId.NextGuid();

        await api.Redeliver(published, messageId);
        var before = (string)Assert.Single(await api.Inbox(first))["id"]!;
        await (await api.Client.Send(HttpMethod.Post, $"/api/notifications/{before}/read", first.Token)).Expect(200);
        await api.Redeliver(published, messageId);

        var kept = Assert.Single(await api.Inbox(first));
        Assert.Equal(before, (string)kept["id"]!);
        Assert.True((bool)kept["read"]!); // the replay did not make it new again
        Assert.Single(await api.Inbox(second));
    }

    [Fact]
    public async Task Deliveries_of_one_event_racing_each_other_make_one_notification()
    {
        var broker = await api.Account(NotificationsApi.Org("agency"), Roles.Broker);
        var offered = new LeadOffered
        {
            LeadId = Guid.NewGuid(), BrokerId = Guid.NewGuid(), BrokerSubject = broker.Subject, Title = "并发线索", SubMarket = "changsha",
            OfferedAt = DateTimeOffset.UtcNow,
        };
        var messageId = NewId.NextGuid();
        var deliveries = api.Deliveries();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.Harness.Bus.Publish(offered, c => c.MessageId = messageId)));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (deliveries.Count(messageId) < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{deliveries.Count(messageId)} of 4 deliveries were consumed.");
            await Task.Delay(25);
        }

        Assert.Null(deliveries.Fault(messageId));
        Assert.Single(await api.Inbox(broker, "lead_offered"));
    }

    [Fact]
    public async Task A_new_event_about_the_same_listing_is_news()
    {
        var user = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var listing = Events.Listing(user.Organisation);
        await api.Deliver(new ListingPublished { Listing = listing });
        await api.Deliver(new ListingPublished { Listing = listing with { Version = listing.Version + 2 } }); // approved again after an edit

        Assert.Equal(2, (await api.Inbox(user, "listing_approved")).Count);
    }
}
