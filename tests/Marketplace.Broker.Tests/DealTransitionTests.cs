using Marketplace.Broker.Brokers;
using Marketplace.Broker.Deals;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Tests;

/// <summary>A deal's stages — in order, never skipped, lost with a reason, registered only from a contract, closed — on the aggregate alone: no host, no store.</summary>
public sealed class DealTransitionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly CommissionTerms TenPercent = new(CommissionKind.Percentage, 10m, null);

    private static Deal NewDeal() => Deal.Open(Guid.NewGuid(), Guid.NewGuid(), "broker-1", Guid.NewGuid(), null, null,
        "陶瓷涂覆隔膜技术许可", "changsha", "materials", isDemo: false, "broker-1", Start);

    private static ContractRegistered Contract(Deal deal, decimal amount = 1_000_000m) => new()
    {
        ContractId = Guid.NewGuid(),
        RegistrationNumber = "2026430101000001",
        DealId = deal.Id,
        Type = "technology_license",
        RegistrationPoint = "changsha",
        ContractAmount = amount,
        TechnologyTransactionAmount = amount,
        RegisteredAt = Start.AddDays(10),
    };

    private static void Step(Deal deal, DealStage to, DateTimeOffset at)
    {
        if (to == DealStage.Registered) Assert.True(deal.Register(Contract(deal), at));
        else deal.MoveTo(to, "broker-1", null, to == DealStage.Agreed ? TenPercent : null, null, null, at);
    }

    /// <summary>A new deal moved on, one stage a day, until it is at <paramref name="stage"/>.</summary>
    private static Deal At(DealStage stage)
    {
        var deal = NewDeal();
        var day = 0;
        foreach (var next in Deal.Sequence.Skip(1).TakeWhile(_ => deal.Stage != stage)) Step(deal, next, Start.AddDays(++day));
        Assert.Equal(stage, deal.Stage);
        return deal;
    }

    [Fact]
    public void A_deal_walks_every_stage_in_order_and_closing_announces_the_amount_and_commission()
    {
        var deal = At(DealStage.Registered);
        deal.MoveTo(DealStage.Closed, "broker-1", "尾款已付", null, null, null, Start.AddDays(20));

        Assert.False(deal.IsOpen);
        Assert.Equal(1_000_000m, deal.Amount); // the registered contract's amount
        Assert.Equal(100_000m, deal.CommissionAmount);
        Assert.Equal(Start.AddDays(20), deal.EndedAt);
        Assert.Equal(Deal.Sequence, deal.History.Select(h => h.To));
        Assert.Equal("contract-registration", deal.History.Single(h => h.To == DealStage.Registered).By);
        Assert.Equal(Deal.Sequence, deal.PendingEvents.OfType<DealStageChanged>().Select(e => e.To));
        var closed = Assert.Single(deal.PendingEvents.OfType<DealClosed>());
        Assert.Equal(1_000_000m, closed.Amount);
        Assert.Equal(100_000m, closed.Commission);
    }

    [Theory]
    [InlineData(DealStage.Lead, DealStage.Negotiating)]
    [InlineData(DealStage.Contacted, DealStage.Agreed)]
    [InlineData(DealStage.Negotiating, DealStage.ContractSigned)]
    [InlineData(DealStage.Registered, DealStage.Lead)]
    public void A_deal_moves_one_stage_at_a_time_and_a_skip_is_refused(DealStage from, DealStage to)
    {
        var deal = At(from);
        var history = deal.History.Count;
        var refused = Assert.Throws<ConflictException>(() => deal.MoveTo(to, "broker-1", null, TenPercent, null, null, Start.AddDays(30)));
        Assert.Contains(Deal.Code(Deal.Next(from)), refused.Message);
        Assert.Equal(from, deal.Stage);
        Assert.Equal(history, deal.History.Count);
    }

    [Fact]
    public void A_broker_cannot_set_registered_only_a_registered_contract_does()
    {
        var deal = At(DealStage.ContractSigned);
        Assert.Throws<ConflictException>(() => deal.MoveTo(DealStage.Registered, "broker-1", null, null, null, null, Start.AddDays(9)));
        Assert.Equal(DealStage.ContractSigned, deal.Stage);

        Assert.True(deal.Register(Contract(deal, 800_000m), Start.AddDays(10)));
        Assert.Equal(DealStage.Registered, deal.Stage);
        Assert.Equal(800_000m, deal.Contract!.ContractAmount);
    }

    [Fact]
    public void A_registered_contract_proves_signing_the_broker_had_not_recorded()
    {
        var deal = At(DealStage.Agreed);
        Assert.True(deal.Register(Contract(deal), Start.AddDays(10)));
        Assert.Equal(DealStage.Registered, deal.Stage);
        Assert.Equal(DealStage.Agreed, deal.History[^1].From);
    }

    [Fact]
    public void A_replayed_or_second_contract_registration_changes_nothing()
    {
        var deal = At(DealStage.ContractSigned);
        var contract = Contract(deal, 800_000m);
        Assert.True(deal.Register(contract, Start.AddDays(10)));
        var history = deal.History.Count;

        Assert.False(deal.Register(contract, Start.AddDays(11)));
        Assert.False(deal.Register(contract with { ContractId = Guid.NewGuid(), ContractAmount = 1m }, Start.AddDays(11)));
        Assert.Equal(history, deal.History.Count);
        Assert.Equal(800_000m, deal.Contract!.ContractAmount);
    }

    [Fact]
    public void Agreeing_needs_the_commission_terms()
    {
        var deal = At(DealStage.Negotiating);
        var refused = Assert.Throws<ValidationFailedException>(() => deal.MoveTo(DealStage.Agreed, "broker-1", null, null, null, null, Start.AddDays(5)));
        Assert.Contains("commission", refused.Errors.Keys);
        Assert.Equal(DealStage.Negotiating, deal.Stage);
    }

    [Fact]
    public void Closing_for_another_amount_than_the_contract_keeps_a_fixed_commission_fixed()
    {
        var deal = At(DealStage.Negotiating);
        deal.MoveTo(DealStage.Agreed, "broker-1", null, new CommissionTerms(CommissionKind.Fixed, null, 30_000m), null, null, Start.AddDays(5));
        deal.MoveTo(DealStage.ContractSigned, "broker-1", null, null, null, null, Start.AddDays(6));
        Assert.True(deal.Register(Contract(deal, 800_000m), Start.AddDays(7)));
        deal.MoveTo(DealStage.Closed, "broker-1", null, null, 850_000m, null, Start.AddDays(8));
        Assert.Equal(850_000m, deal.Amount);
        Assert.Equal(30_000m, deal.CommissionAmount);
    }

    [Theory]
    [InlineData(DealStage.Lead)]
    [InlineData(DealStage.Contacted)]
    [InlineData(DealStage.Negotiating)]
    [InlineData(DealStage.Agreed)]
    [InlineData(DealStage.ContractSigned)]
    [InlineData(DealStage.Registered)]
    public void A_deal_is_lost_from_any_open_stage_with_its_reason_and_then_cannot_change(DealStage stage)
    {
        var deal = At(stage);
        deal.MoveTo(DealStage.Lost, "broker-1", null, null, null, "买方预算取消", Start.AddDays(30));

        Assert.Equal(DealStage.Lost, deal.Stage);
        Assert.False(deal.IsOpen);
        Assert.Equal("买方预算取消", deal.LostReason);
        Assert.Equal(Start.AddDays(30), deal.EndedAt);
        Assert.Equal("买方预算取消", deal.History[^1].Note);
        Assert.Throws<ConflictException>(() => deal.MoveTo(Deal.Next(stage), "broker-1", null, TenPercent, null, null, Start.AddDays(31)));
        Assert.Throws<ConflictException>(() => deal.MoveTo(DealStage.Lost, "broker-1", null, null, null, "再次", Start.AddDays(31)));
        Assert.False(deal.Register(Contract(deal), Start.AddDays(31)));
        Assert.Equal(DealStage.Lost, deal.Stage);
    }

    [Fact]
    public void A_closed_deal_cannot_change_any_more()
    {
        var deal = At(DealStage.Closed);
        var history = deal.History.Count;
        Assert.Throws<ConflictException>(() => deal.MoveTo(DealStage.Lost, "broker-1", null, null, null, "太迟了", Start.AddDays(30)));
        Assert.False(deal.Register(Contract(deal), Start.AddDays(30)));
        Assert.Equal(DealStage.Closed, deal.Stage);
        Assert.Equal(history, deal.History.Count);
    }

    [Fact]
    public void A_note_is_kept_with_who_and_when_and_does_not_move_the_deal()
    {
        var deal = At(DealStage.Contacted);
        var note = deal.AddNote("broker-1", "已约定下周三实地考察中试线", Guid.NewGuid(), Start.AddDays(2));
        Assert.Equal(note, Assert.Single(deal.Notes));
        Assert.Equal(Start.AddDays(2), deal.UpdatedAt);
        Assert.Equal(DealStage.Contacted, deal.Stage);
        Assert.Equal(2, deal.History.Count);
    }

    private static InterestAccepted Introduction(bool withoutBroker = false) => new()
    {
        Interest = new InterestParties
        {
            InterestId = Guid.NewGuid(), ListingId = Guid.NewGuid(), ListingKind = ListingKind.Demand, ListingTitle = "动力电池隔膜技术需求",
            SubMarket = "changsha", Field = "materials", FromOrg = "hnu", FromOrgName = "湖南示范大学", ToOrg = "zz-rail", ToOrgName = "株洲示范轨道",
        },
        By = "user@zz-rail", SenderName = "李老师", WithoutBroker = withoutBroker, AcceptedAt = Start,
    };

    [Fact]
    public void An_introductions_deal_starts_at_contacted_between_both_organisations_with_one_announced_change()
    {
        var accepted = Introduction();
        var deal = Deal.FromInterest(accepted, new BrokerRef(Guid.NewGuid(), "broker-1"));

        Assert.Equal(Deal.IdForInterest(accepted.Interest.InterestId), deal.Id);
        Assert.Equal(DealStage.Contacted, deal.Stage);
        Assert.Equal(accepted.Interest.ListingId, deal.DemandId);
        Assert.Null(deal.OfferId);
        Assert.True(deal.HasParty("hnu") && deal.HasParty("zz-rail"));
        var changed = Assert.IsType<DealStageChanged>(Assert.Single(deal.PendingEvents));
        Assert.Equal((null, DealStage.Contacted, "broker-1", accepted.Interest.InterestId), (changed.From, changed.To, changed.BrokerSubject, changed.InterestId));
        Assert.Equal(["hnu", "zz-rail"], changed.Parties);
        Assert.Equal("user@zz-rail", changed.ChangedBy);
    }

    [Fact]
    public void A_deal_without_a_broker_agrees_and_closes_without_commission_and_refuses_terms()
    {
        var deal = Deal.FromInterest(Introduction(withoutBroker: true), broker: null);
        Assert.False(deal.HasBroker);
        deal.MoveTo(DealStage.Negotiating, "user@hnu", null, null, null, null, Start.AddDays(1));
        var terms = Assert.Throws<ValidationFailedException>(() => deal.MoveTo(DealStage.Agreed, "user@hnu", null, TenPercent, null, null, Start.AddDays(2)));
        Assert.Contains("commission", terms.Errors.Keys);
        Assert.Equal(DealStage.Negotiating, deal.Stage);

        deal.MoveTo(DealStage.Agreed, "user@hnu", null, null, null, null, Start.AddDays(2));
        deal.MoveTo(DealStage.ContractSigned, "user@zz-rail", null, null, null, null, Start.AddDays(3));
        Assert.True(deal.Register(Contract(deal, 500_000m), Start.AddDays(4)));
        deal.MoveTo(DealStage.Closed, "user@zz-rail", null, null, null, null, Start.AddDays(5));

        Assert.Null(deal.Commission);
        Assert.Equal(500_000m, deal.Amount);
        Assert.Equal(0m, deal.CommissionAmount);
        var closed = Assert.Single(deal.PendingEvents.OfType<DealClosed>());
        Assert.Equal((null, 0m, 500_000m), (closed.BrokerId, closed.Commission, closed.Amount));
        Assert.All(deal.PendingEvents.OfType<DealStageChanged>(), e => Assert.Null(e.BrokerId));
    }
}

