using Marketplace.Broker.Brokers;
using Marketplace.Broker.Leads;
using Marketplace.Contracts.Broker;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Tests;

/// <summary>A lead's turns — offered, accepted, declined, timed out, pooled, assigned — on the aggregate alone: no host, no store.</summary>
public sealed class LeadTransitionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromDays(2);
    private static readonly BrokerRef FirstBroker = new(Guid.NewGuid(), "broker-first");
    private static readonly BrokerRef SecondBroker = new(Guid.NewGuid(), "broker-second");
    private static readonly Guid First = FirstBroker.Id;
    private static readonly Guid Second = SecondBroker.Id;

    private static Lead NewLead() => Lead.From(BrokerApi.Match("changsha", "materials"), Start);

    private static Lead OfferedTo(BrokerRef broker)
    {
        var lead = NewLead();
        lead.OfferTo(broker, "system", Timeout, Start);
        return lead;
    }

    [Fact]
    public void A_suggested_match_starts_in_the_pool_with_nobody_asked_yet()
    {
        var lead = NewLead();
        Assert.Equal(LeadStatus.Pooled, lead.Status);
        Assert.Null(lead.BrokerId);
        Assert.Empty(lead.Offers);
        Assert.Empty(lead.PendingEvents);
    }

    [Fact]
    public void An_offered_lead_waits_for_its_broker_until_the_timeout()
    {
        var lead = OfferedTo(FirstBroker);
        Assert.Equal(LeadStatus.Offered, lead.Status);
        Assert.True(lead.IsOfferedTo(First));
        Assert.False(lead.IsOfferedTo(Second));
        Assert.Equal(Start + Timeout, lead.ExpiresAt);
        var offer = Assert.Single(lead.Offers);
        Assert.Equal(OfferOutcome.Open, offer.Outcome);
    }

    [Fact]
    public void The_broker_accepts_the_lead_offered_to_them_and_the_deal_it_opens_is_announced()
    {
        var lead = OfferedTo(FirstBroker);
        lead.Accept(First, "broker-first", isDemo: false, Start.AddHours(3));

        Assert.Equal(LeadStatus.Accepted, lead.Status);
        Assert.Equal(First, lead.BrokerId);
        Assert.Null(lead.ExpiresAt);
        Assert.Equal(Lead.DealIdFor(lead.Id), lead.DealId);
        Assert.Equal(OfferOutcome.Accepted, Assert.Single(lead.Offers).Outcome);
        var accepted = Assert.Single(lead.PendingEvents.OfType<LeadAccepted>());
        Assert.Equal(lead.DealId, accepted.DealId);
        Assert.Equal(First, accepted.BrokerId);
        Assert.Equal("broker-first", accepted.BrokerSubject);
        Assert.Equal("高镍三元正极材料制备技术 ↔ 动力电池正极材料技术需求", accepted.Title);
    }

    [Fact]
    public void A_broker_cannot_accept_or_decline_a_lead_offered_to_someone_else()
    {
        var lead = OfferedTo(FirstBroker);
        Assert.Throws<ForbiddenException>(() => lead.Accept(Second, "broker-second", isDemo: false, Start));
        Assert.Throws<ForbiddenException>(() => lead.Decline(Second, null, Start));
        Assert.True(lead.IsOfferedTo(First));
        Assert.Equal(OfferOutcome.Open, Assert.Single(lead.Offers).Outcome);
        Assert.IsType<LeadOffered>(Assert.Single(lead.PendingEvents)); // only the offer itself was announced
    }

    [Fact]
    public void A_declined_lead_goes_back_to_the_pool_with_the_reason_and_then_to_the_next_broker()
    {
        var lead = OfferedTo(FirstBroker);
        lead.Decline(First, "近期项目已满", Start.AddHours(1));

        Assert.Equal(LeadStatus.Pooled, lead.Status);
        Assert.Null(lead.BrokerId);
        Assert.Equal(OfferOutcome.Declined, lead.Offers[0].Outcome);
        Assert.Equal("近期项目已满", lead.Offers[0].Reason);
        Assert.Contains(First, lead.AskedBrokers());

        lead.OfferTo(SecondBroker, "system", Timeout, Start.AddHours(1));
        Assert.True(lead.IsOfferedTo(Second));
        Assert.Equal([First, Second], lead.Offers.Select(o => o.BrokerId));
        Assert.Throws<ForbiddenException>(() => lead.Accept(First, "broker-first", isDemo: false, Start.AddHours(2)));
    }

    [Fact]
    public void With_nobody_left_to_ask_the_lead_waits_in_the_pool()
    {
        var lead = OfferedTo(FirstBroker);
        lead.Decline(First, null, Start.AddHours(1));
        lead.OfferTo(null, "system", Timeout, Start.AddHours(1));

        Assert.Equal(LeadStatus.Pooled, lead.Status);
        Assert.Null(lead.ExpiresAt);
        Assert.Single(lead.Offers);
    }

    [Fact]
    public void An_operator_assigning_an_offered_lead_to_another_broker_withdraws_the_open_offer()
    {
        var lead = OfferedTo(FirstBroker);
        lead.OfferTo(SecondBroker, "operator@changsha", Timeout, Start.AddHours(1));

        Assert.True(lead.IsOfferedTo(Second));
        Assert.Equal(OfferOutcome.Withdrawn, lead.Offers[0].Outcome);
        Assert.Equal(OfferOutcome.Open, lead.Offers[1].Outcome);
        Assert.Equal("operator@changsha", lead.Offers[1].OfferedBy);
    }

    [Fact]
    public void An_unanswered_offer_times_out_only_once_it_has_expired_and_cannot_be_accepted_late()
    {
        var lead = OfferedTo(FirstBroker);
        Assert.False(lead.TimeOut(Start.AddDays(1)));
        Assert.True(lead.IsOfferedTo(First));

        Assert.True(lead.TimeOut(Start + Timeout + TimeSpan.FromMinutes(1)));
        Assert.Equal(LeadStatus.Pooled, lead.Status);
        Assert.Equal(OfferOutcome.TimedOut, Assert.Single(lead.Offers).Outcome);
        Assert.False(lead.TimeOut(Start.AddDays(3)));
        Assert.Throws<ForbiddenException>(() => lead.Accept(First, "broker-first", isDemo: false, Start.AddDays(3)));
    }

    [Fact]
    public void An_accepted_lead_cannot_be_accepted_declined_offered_or_timed_out_again()
    {
        var lead = OfferedTo(FirstBroker);
        lead.Accept(First, "broker-first", isDemo: false, Start.AddHours(1));

        Assert.Throws<ConflictException>(() => lead.Accept(First, "broker-first", isDemo: false, Start.AddHours(2)));
        Assert.Throws<ConflictException>(() => lead.Decline(First, null, Start.AddHours(2)));
        Assert.Throws<ConflictException>(() => lead.OfferTo(SecondBroker, "operator@changsha", Timeout, Start.AddHours(2)));
        Assert.False(lead.TimeOut(Start.AddDays(5)));
        Assert.Equal(LeadStatus.Accepted, lead.Status);
        Assert.Single(lead.PendingEvents.OfType<LeadAccepted>());
        Assert.Empty(lead.PendingEvents.OfType<LeadMovedOn>());
    }

    [Fact]
    public void A_broker_is_told_of_the_lead_offered_to_them_and_of_it_moving_on_when_they_decline()
    {
        var lead = OfferedTo(FirstBroker);
        var offered = Assert.IsType<LeadOffered>(Assert.Single(lead.PendingEvents));
        Assert.Equal((First, "broker-first", Start + Timeout), (offered.BrokerId, offered.BrokerSubject, offered.ExpiresAt));

        lead.Decline(First, "近期项目已满", Start.AddHours(1));
        var moved = Assert.Single(lead.PendingEvents.OfType<LeadMovedOn>());
        Assert.Equal((First, "broker-first", "declined", Start.AddHours(1)), (moved.BrokerId, moved.BrokerSubject, moved.Reason, moved.MovedAt));
    }

    [Fact]
    public void A_broker_whose_offer_expired_is_told_it_moved_on_and_going_to_the_pool_tells_nobody_of_an_offer()
    {
        var lead = OfferedTo(FirstBroker);
        Assert.False(lead.TimeOut(Start.AddDays(1)));
        Assert.Empty(lead.PendingEvents.OfType<LeadMovedOn>());

        Assert.True(lead.TimeOut(Start + Timeout + TimeSpan.FromMinutes(1)));
        var moved = Assert.Single(lead.PendingEvents.OfType<LeadMovedOn>());
        Assert.Equal(("broker-first", "expired"), (moved.BrokerSubject, moved.Reason));
        lead.OfferTo(null, "system", Timeout, Start.AddDays(3));
        Assert.Single(lead.PendingEvents.OfType<LeadOffered>());
    }
}

