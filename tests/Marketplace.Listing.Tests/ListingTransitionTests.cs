using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;

namespace Marketplace.Listing.Tests;

/// <summary>The listing's life on its own: which moves it allows and which it refuses, without a host or a store.</summary>
public sealed class ListingTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly MarketUser University = new("alice", Roles.University, "csu", "中南大学", "changsha", "Alice");
    private static readonly MarketUser OtherUniversity = new("bob", Roles.University, "hnu", "湖南大学", "changsha", "Bob");
    private static readonly MarketUser Enterprise = new("carol", Roles.Enterprise, "crrc", "中车株机", "zhuzhou", "Carol");
    private static readonly MarketUser Operator = new("olga", Roles.Operator, "operators-changsha", null, "changsha", "Olga");

    private static ListingContent OfferContent(string title = "高镍三元锂电池正极材料制备技术") => new()
    {
        Title = title,
        Summary = "一种高镍三元正极材料的共沉淀制备方法。",
        Description = "本成果提供高镍三元锂电池正极材料的共沉淀与烧结工艺，已完成中试验证。",
        Field = "new-energy",
        Keywords = ["锂电池"],
        Maturity = 6,
        TransferModes = [TransferMode.Transfer],
    };

    private static ListingContent DemandContent(DateTimeOffset deadline, decimal? bounty = null, DateTimeOffset? proposalDeadline = null) => new()
    {
        Title = "轨道交通牵引电机故障诊断技术需求",
        Summary = "寻求牵引电机早期故障诊断方案。",
        Description = "公司需要一套可部署在车载设备上的牵引电机故障诊断算法，能够识别轴承与绕组故障。",
        Field = "transport",
        Keywords = ["轨道交通"],
        Budget = new Money { Min = 300000m, Max = 800000m },
        Deadline = deadline,
        Bounty = bounty,
        ProposalDeadline = proposalDeadline,
    };

    private static Listings.Listing Offer() =>
        Listings.Listing.Create(Guid.NewGuid(), ListingKind.Offer, "changsha", OfferContent(), University, false, null, Now);

    private static Listings.Listing Demand(DateTimeOffset deadline) =>
        Listings.Listing.Create(Guid.NewGuid(), ListingKind.Demand, "changsha", DemandContent(deadline), Enterprise, false, null, Now);

    private static Listings.Listing Challenge() =>
        Listings.Listing.Create(Guid.NewGuid(), ListingKind.Challenge, "changsha",
            DemandContent(Now.AddDays(60), bounty: 1_000_000m, proposalDeadline: Now.AddDays(30)), Enterprise, false, null, Now);

    private static Listings.Listing Published(Listings.Listing listing)
    {
        listing.Submit(University, Now);
        listing.Approve(Operator, Now);
        return listing;
    }

    private static Proposal Propose(Listings.Listing challenge, MarketUser by, decimal? quoted = null, DateTimeOffset? at = null) =>
        challenge.AddProposal(by, "基于振动信号的故障诊断方案，已在地铁车辆验证。", null, quoted, null, Guid.NewGuid(), at ?? Now);

    [Fact]
    public void A_new_listing_is_a_private_draft_of_its_organisation()
    {
        var offer = Offer();

        Assert.Equal(ListingStatus.Draft, offer.Status);
        Assert.Equal("csu", offer.OwnerOrg);
        Assert.Equal("created", Assert.Single(offer.History).Action);
        Assert.Empty(offer.PendingEvents);
        Assert.False(offer.IsVisibleTo(null));
        Assert.False(offer.IsVisibleTo(Operator)); // operators do not see drafts
        Assert.True(offer.IsVisibleTo(University with { Subject = "a-colleague" }));
    }

    [Fact]
    public void A_submitted_draft_waits_for_review_and_once_approved_is_public_and_announced()
    {
        var offer = Offer();

        offer.Submit(University, Now);
        Assert.Equal(ListingStatus.PendingReview, offer.Status);
        Assert.True(offer.IsVisibleTo(Operator));
        Assert.False(offer.IsVisibleTo(null));
        Assert.Empty(offer.PendingEvents);

        offer.Approve(Operator, Now.AddHours(1));
        Assert.Equal(ListingStatus.Published, offer.Status);
        Assert.Equal(Now.AddHours(1), offer.PublishedAt);
        Assert.True(offer.IsVisibleTo(null));
        var published = Assert.IsType<ListingPublished>(Assert.Single(offer.PendingEvents));
        Assert.Equal(ListingStatus.Published, published.Listing.Status);
        Assert.Equal(["created", "submitted", "approved"], offer.History.Select(h => h.Action));
    }

    [Fact]
    public void Only_a_draft_can_be_submitted_and_only_a_listing_in_review_approved_or_rejected()
    {
        var offer = Offer();
        Assert.Throws<ConflictException>(() => offer.Approve(Operator, Now));
        Assert.Throws<ConflictException>(() => offer.Reject(Operator, "不符合要求", Now));

        offer.Submit(University, Now);
        Assert.Throws<ConflictException>(() => offer.Submit(University, Now));

        offer.Approve(Operator, Now);
        Assert.Throws<ConflictException>(() => offer.Approve(Operator, Now));
        Assert.Throws<ConflictException>(() => offer.Reject(Operator, "不符合要求", Now));
        Assert.Equal(ListingStatus.Published, offer.Status);
    }

    [Fact]
    public void A_rejected_listing_keeps_the_reason_until_the_owner_corrects_it_back_to_draft()
    {
        var demand = Demand(Now.AddDays(60));
        demand.Submit(Enterprise, Now);

        demand.Reject(Operator, "预算区间与需求内容不符", Now);
        Assert.Equal("预算区间与需求内容不符", Assert.IsType<ListingRejected>(Assert.Single(demand.PendingEvents)).Reason); // its owner is told why
        Assert.Equal(ListingStatus.Rejected, demand.Status);
        Assert.Equal("预算区间与需求内容不符", demand.RejectionReason);
        Assert.Throws<ConflictException>(() => demand.Submit(Enterprise, Now));

        demand.Edit(DemandContent(Now.AddDays(90)), Enterprise, Now);
        Assert.Equal(ListingStatus.Draft, demand.Status);
        Assert.Null(demand.RejectionReason);
        Assert.Single(demand.PendingEvents); // never published: no snapshot for other services, only the rejection
        demand.Submit(Enterprise, Now);
        Assert.Equal(ListingStatus.PendingReview, demand.Status);
    }

    [Fact]
    public void Editing_a_published_listing_sends_it_back_to_review_out_of_public_view_and_says_so()
    {
        var offer = Published(Offer());
        var before = offer.PendingEvents.Count;

        offer.Edit(OfferContent("高镍三元正极材料制备技术（第二版）"), University, Now);

        Assert.Equal(ListingStatus.PendingReview, offer.Status);
        Assert.False(offer.IsVisibleTo(null));
        var updated = Assert.IsType<ListingUpdated>(offer.PendingEvents[before]);
        Assert.Equal(ListingStatus.PendingReview, updated.Listing.Status);
        Assert.Equal("高镍三元正极材料制备技术（第二版）", updated.Listing.Title);
    }

    [Fact]
    public void A_listing_under_review_withdrawn_or_expired_cannot_be_edited()
    {
        var inReview = Offer();
        inReview.Submit(University, Now);
        var withdrawn = Published(Offer());
        withdrawn.Withdraw(University, null, Now);
        var expired = Published(Demand(Now.AddDays(1)));
        expired.ExpireIfDue(Now.AddDays(2));

        foreach (var listing in new[] { inReview, withdrawn, expired })
        {
            var status = listing.Status;
            Assert.Throws<ConflictException>(() => listing.Edit(OfferContent("不允许的修改标题"), University, Now));
            Assert.Equal(status, listing.Status);
            Assert.NotEqual("edited", listing.History[^1].Action);
        }
    }

    [Fact]
    public void A_demand_whose_deadline_passed_is_neither_submitted_nor_approved_until_its_deadline_is_moved()
    {
        var demand = Demand(Now.AddDays(10));
        var late = Now.AddDays(11);

        var refused = Assert.Throws<ValidationFailedException>(() => demand.Submit(Enterprise, late));
        Assert.True(refused.Errors.ContainsKey("deadline"));
        Assert.Equal(ListingStatus.Draft, demand.Status);

        demand.Submit(Enterprise, Now);
        Assert.Throws<ValidationFailedException>(() => demand.Approve(Operator, late));
        Assert.Equal(ListingStatus.PendingReview, demand.Status);
    }

    [Fact]
    public void Withdrawing_from_review_returns_the_listing_to_draft_without_an_announcement()
    {
        var offer = Offer();
        offer.Submit(University, Now);

        offer.Withdraw(University, "还要补充材料", Now);

        Assert.Equal(ListingStatus.Draft, offer.Status);
        Assert.Equal("review_cancelled", offer.History[^1].Action);
        Assert.Empty(offer.PendingEvents);
    }

    [Fact]
    public void Withdrawing_a_published_listing_takes_it_off_the_market_and_says_so()
    {
        var offer = Published(Offer());

        offer.Withdraw(University, "已与企业签约", Now);

        Assert.Equal(ListingStatus.Withdrawn, offer.Status);
        Assert.False(offer.IsVisibleTo(null));
        var withdrawn = Assert.IsType<ListingWithdrawn>(offer.PendingEvents[^1]);
        Assert.Equal(offer.Id, withdrawn.ListingId);
        Assert.Equal("已与企业签约", withdrawn.Reason);
    }

    [Fact]
    public void A_draft_or_an_already_withdrawn_listing_cannot_be_withdrawn()
    {
        Assert.Throws<ConflictException>(() => Offer().Withdraw(University, null, Now));
        var withdrawn = Published(Offer());
        withdrawn.Withdraw(University, null, Now);
        Assert.Throws<ConflictException>(() => withdrawn.Withdraw(University, null, Now));
    }

    [Fact]
    public void A_published_demand_expires_once_its_deadline_passes_and_not_before()
    {
        var demand = Published(Demand(Now.AddDays(60)));

        Assert.False(demand.ExpireIfDue(Now.AddDays(59)));
        Assert.Equal(ListingStatus.Published, demand.Status);

        Assert.True(demand.ExpireIfDue(Now.AddDays(61)));
        Assert.Equal(ListingStatus.Expired, demand.Status);
        Assert.Equal(ListingStatus.Expired, Assert.IsType<ListingUpdated>(demand.PendingEvents[^1]).Listing.Status);
        Assert.False(demand.ExpireIfDue(Now.AddDays(62)));
    }

    [Fact]
    public void Offers_and_unpublished_demands_never_expire()
    {
        var offer = Published(Offer());
        var draft = Demand(Now.AddDays(1));

        Assert.False(offer.ExpireIfDue(Now.AddYears(10)));
        Assert.False(draft.ExpireIfDue(Now.AddYears(10)));
        Assert.Equal(ListingStatus.Published, offer.Status);
        Assert.Equal(ListingStatus.Draft, draft.Status);
    }

    [Fact]
    public void An_open_challenge_takes_one_proposal_per_university_and_none_from_its_owner()
    {
        var challenge = Published(Challenge());

        var proposal = Propose(challenge, University, quoted: 900_000m);
        Assert.Equal("csu", proposal.Org);
        Propose(challenge, OtherUniversity);

        Assert.Throws<ConflictException>(() => Propose(challenge, University with { Subject = "a-colleague" }));
        Assert.Throws<ForbiddenException>(() => Propose(challenge, Enterprise with { Role = Roles.University }));
        Assert.Equal(2, challenge.Proposals.Count);
        Assert.Empty(challenge.PendingEvents.OfType<ChallengeAwarded>());
    }

    [Fact]
    public void Offers_demands_unpublished_challenges_and_late_proposals_are_refused()
    {
        Assert.Throws<ConflictException>(() => Propose(Published(Offer()), OtherUniversity));
        Assert.Throws<ConflictException>(() => Propose(Published(Demand(Now.AddDays(60))), University));
        Assert.Throws<ConflictException>(() => Propose(Challenge(), University));

        var challenge = Published(Challenge());
        Assert.Throws<ConflictException>(() => Propose(challenge, University, at: Now.AddDays(30)));
        Assert.Empty(challenge.Proposals);
    }

    [Fact]
    public void Awarding_a_challenge_names_the_winner_at_the_quoted_amount_and_closes_it()
    {
        var challenge = Published(Challenge());
        var winner = Propose(challenge, University, quoted: 900_000m);
        Propose(challenge, OtherUniversity);

        challenge.AwardTo(Enterprise, winner.Id, null, "方案最完整", Now);

        Assert.Equal("csu", challenge.Award!.WinnerOrg);
        Assert.Equal(900_000m, challenge.Award.Amount);
        Assert.Equal(ListingStatus.Published, challenge.Status); // stays public: 揭榜结果公示
        var awarded = Assert.Single(challenge.PendingEvents.OfType<ChallengeAwarded>());
        Assert.Equal(winner.Id, awarded.ProposalId);
        Assert.True(challenge.PendingEvents.OfType<ListingUpdated>().Single().Listing.Awarded);

        Assert.Throws<ConflictException>(() => challenge.AwardTo(Enterprise, winner.Id, null, null, Now));
        Assert.Throws<ConflictException>(() => Propose(challenge, University with { Organisation = "late-uni" }));
    }

    [Fact]
    public void Without_a_quote_or_an_amount_the_award_is_the_bounty()
    {
        var challenge = Published(Challenge());
        var proposal = Propose(challenge, University);

        challenge.AwardTo(Enterprise, proposal.Id, null, null, Now);

        Assert.Equal(1_000_000m, challenge.Award!.Amount);
    }

    [Fact]
    public void A_challenge_is_awarded_only_to_one_of_its_own_proposals()
    {
        var challenge = Published(Challenge());
        Propose(challenge, University);

        var refused = Assert.Throws<ValidationFailedException>(() => challenge.AwardTo(Enterprise, Guid.NewGuid(), null, null, Now));
        Assert.True(refused.Errors.ContainsKey("proposalId"));
        Assert.Null(challenge.Award);
        Assert.Throws<ConflictException>(() => Published(Offer()).AwardTo(University, Guid.NewGuid(), null, null, Now));
    }

    [Fact]
    public void A_stored_listing_reads_back_with_its_proposals_and_history()
    {
        var challenge = Published(Challenge());
        Propose(challenge, University);

        var stored = JsonSerializer.Serialize(challenge, MarketJson.Storage);
        var read = JsonSerializer.Deserialize<Listings.Listing>(stored, MarketJson.Storage)!;

        Assert.Equal(challenge.Proposals.Select(p => p.Id), read.Proposals.Select(p => p.Id));
        Assert.Equal(challenge.History.Select(h => h.Action), read.History.Select(h => h.Action));
        Assert.Equal(ListingStatus.Published, read.Status);
    }
}
