using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;

namespace Marketplace.Notifications.Tests;

/// <summary>Each event makes its kind of notification for the users who must hear of it, and for nobody else.</summary>
public sealed class NotificationKindsTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    /// <summary>Two users of the listing's owner, one of the other party, one of a stranger organisation.</summary>
    private async Task<(User Owner1, User Owner2, User Party, User Stranger)> World()
    {
        var owner = NotificationsApi.Org("hnu");
        var party = NotificationsApi.Org("zzrail");
        return (await api.Account(owner, Roles.University), await api.Account(owner, Roles.University),
            await api.Account(party), await api.Account(NotificationsApi.Org("stranger")));
    }

    private async Task<JsonObject> One(User user, string kind)
    {
        var found = await api.Inbox(user, kind);
        Assert.True(found.Count == 1, $"{user.Subject} has {found.Count} {kind} notification(s), expected one.");
        return found[0];
    }

    private async Task None(User user, string? kind = null)
    {
        var found = kind is null ? await api.Inbox(user) : await api.Inbox(user, kind);
        Assert.True(found.Count == 0, $"{user.Subject} was told: {string.Join("; ", found.Select(f => f["title"]))}");
    }

    [Fact]
    public async Task The_owners_users_hear_that_their_listing_was_approved_and_published()
    {
        var (owner1, owner2, party, stranger) = await World();
        var listing = Events.Listing(owner1.Organisation, ListingKind.Demand, "动力电池隔膜技术需求");
        await api.Deliver(new ListingPublished { Listing = listing });

        foreach (var owner in new[] { owner1, owner2 })
        {
            var n = await One(owner, "listing_approved");
            Assert.Equal("您的需求“动力电池隔膜技术需求”已审核通过并发布", (string)n["title"]!);
            Assert.Equal($"/listings/{listing.Id}", (string)n["link"]!);
            Assert.False((bool)n["read"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)n["body"]));
        }
        await None(party);
        await None(stranger);
    }

    [Fact]
    public async Task A_rejection_tells_the_owner_the_reason_and_links_to_the_edit_page()
    {
        var (owner, _, party, _) = await World();
        var rejected = new ListingRejected
        {
            ListingId = Guid.NewGuid(), Version = 2, OwnerOrg = owner.Organisation, Title = "新型储能材料", SubMarket = "changsha",
            Reason = "缺少专利证书扫描件", RejectedAt = DateTimeOffset.UtcNow,
        };
        await api.Deliver(rejected);

        var n = await One(owner, "listing_rejected");
        Assert.Contains("新型储能材料", (string)n["title"]!);
        Assert.Contains("缺少专利证书扫描件", (string)n["body"]!);
        Assert.Equal($"/my/listings/{rejected.ListingId}/edit", (string)n["link"]!);
        await None(party);
    }

    [Fact]
    public async Task An_expressed_interest_reaches_the_listings_owner_and_not_the_sender()
    {
        var (owner1, owner2, sender, stranger) = await World();
        var interest = Events.Interest(sender.Organisation, owner1.Organisation);
        await api.Deliver(new InterestExpressed { Interest = interest, By = sender.Subject, Budget = 300_000m, ExpressedAt = DateTimeOffset.UtcNow });

        foreach (var owner in new[] { owner1, owner2 })
        {
            var n = await One(owner, "interest_received");
            Assert.Contains("株洲轨道装备公司", (string)n["title"]!);
            Assert.Contains("高镍三元正极材料制备技术", (string)n["title"]!);
            Assert.Equal($"/interests/{interest.InterestId}", (string)n["link"]!);
        }
        await None(sender);
        await None(stranger);
    }

    [Fact]
    public async Task Accepting_declining_and_withdrawing_an_interest_tell_the_other_side()
    {
        var (owner1, owner2, sender, stranger) = await World();
        var interest = Events.Interest(sender.Organisation, owner1.Organisation);
        await api.Deliver(new InterestAccepted { Interest = interest, By = owner1.Subject, AcceptedAt = DateTimeOffset.UtcNow });
        await api.Deliver(new InterestDeclined { Interest = interest, By = owner1.Subject, Reason = "技术路线与我方规划不符", DeclinedAt = DateTimeOffset.UtcNow });
        await api.Deliver(new InterestWithdrawn { Interest = interest, By = sender.Subject, WithdrawnAt = DateTimeOffset.UtcNow });

        Assert.Contains("湖南示范大学", (string)(await One(sender, "interest_accepted"))["body"]!);
        Assert.Contains("技术路线与我方规划不符", (string)(await One(sender, "interest_declined"))["body"]!);
        await None(sender, "interest_withdrawn");
        foreach (var owner in new[] { owner1, owner2 })
        {
            Assert.Contains("撤回", (string)(await One(owner, "interest_withdrawn"))["title"]!);
            await None(owner, "interest_accepted");
            await None(owner, "interest_declined");
        }
        await None(stranger);
    }

    [Fact]
    public async Task A_partys_message_goes_to_the_other_party_and_the_broker_but_not_to_its_author()
    {
        var (owner1, owner2, sender, stranger) = await World();
        var interest = Events.Interest(sender.Organisation, owner1.Organisation);
        var broker = await api.Account(NotificationsApi.Org("agency"), Roles.Broker);
        await api.Deliver(new InterestMessagePosted
        {
            Interest = interest, MessageId = Guid.NewGuid(), AuthorOrg = owner1.Organisation, By = owner1.Subject, BrokerSubject = broker.Subject,
            Excerpt = "欢迎下周来实验室参观中试线", PostedAt = DateTimeOffset.UtcNow,
        });

        var n = await One(sender, "interest_message");
        Assert.Contains("欢迎下周来实验室参观中试线", (string)n["body"]!);
        Assert.Equal($"/interests/{interest.InterestId}", (string)n["link"]!);
        await One(broker, "interest_message");
        await None(owner1);
        await None(owner2); // the author's colleagues are the author's side
        await None(stranger);
    }

    [Fact]
    public async Task A_brokers_message_goes_to_both_parties_and_not_back_to_the_broker()
    {
        var (owner1, owner2, sender, _) = await World();
        var interest = Events.Interest(sender.Organisation, owner1.Organisation);
        var broker = await api.Account(NotificationsApi.Org("agency"), Roles.Broker);
        await api.Deliver(new InterestMessagePosted
        {
            Interest = interest, MessageId = Guid.NewGuid(), AuthorOrg = broker.Organisation, By = broker.Subject, BrokerSubject = broker.Subject,
            Excerpt = "双方方便时安排线上会议", PostedAt = DateTimeOffset.UtcNow,
        });

        foreach (var user in new[] { owner1, owner2, sender })
            Assert.Contains("技术经纪人", (string)(await One(user, "interest_message"))["body"]!);
        await None(broker);
    }

    [Fact]
    public async Task A_broker_hears_of_leads_offered_and_moved_on_even_before_the_directory_knows_them()
    {
        var broker = "broker-" + Guid.NewGuid().ToString("N")[..10];
        var user = new User(broker, "agency-x", Roles.Broker, api.Token(broker, Roles.Broker, "agency-x"), null);
        var leadId = Guid.NewGuid();
        await api.Deliver(new LeadOffered
        {
            LeadId = leadId, BrokerId = Guid.NewGuid(), BrokerSubject = broker, Title = "隔膜技术 ↔ 隔膜需求", SubMarket = "changsha",
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(2), OfferedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(new LeadMovedOn { LeadId = leadId, BrokerId = Guid.NewGuid(), BrokerSubject = broker, Title = "隔膜技术 ↔ 隔膜需求", Reason = "expired", MovedAt = DateTimeOffset.UtcNow });
        await api.Deliver(new LeadMovedOn { LeadId = Guid.NewGuid(), BrokerId = Guid.NewGuid(), BrokerSubject = broker, Title = "另一条线索", Reason = "declined", MovedAt = DateTimeOffset.UtcNow });

        var offered = await One(user, "lead_offered");
        Assert.Contains("隔膜技术 ↔ 隔膜需求", (string)offered["title"]!);
        Assert.Equal("/broker/leads", (string)offered["link"]!);
        var moved = await api.Inbox(user, "lead_moved_on");
        Assert.Equal(2, moved.Count);
        Assert.Contains(moved, m => ((string)m["body"]!).Contains("未在答复时限内", StringComparison.Ordinal));
        Assert.Contains(moved, m => ((string)m["body"]!).Contains("婉拒", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deal_stage_reaches_the_parties_and_the_broker_each_with_their_own_link_but_not_whoever_moved_it()
    {
        var (owner1, owner2, buyer, stranger) = await World();
        var broker = await api.Account(NotificationsApi.Org("agency"), Roles.Broker);
        var moved = Events.Deal([owner1.Organisation, buyer.Organisation], broker.Subject, broker.Subject, DealStage.Negotiating, DealStage.Contacted, "双方就许可费率交换意见");
        await api.Deliver(moved);

        foreach (var party in new[] { owner1, owner2, buyer })
        {
            var n = await One(party, "deal_stage_changed");
            Assert.Contains("洽谈中", (string)n["title"]!);
            Assert.Contains("已接洽", (string)n["body"]!);
            Assert.Contains("双方就许可费率交换意见", (string)n["body"]!);
            Assert.Equal($"/deals/{moved.DealId}", (string)n["link"]!);
        }
        await None(broker);
        await None(stranger);

        var registered = Events.Deal([owner1.Organisation, buyer.Organisation], broker.Subject, "contract-registration", DealStage.Registered, DealStage.ContractSigned);
        await api.Deliver(registered);
        var told = await api.Inbox(broker, "deal_stage_changed");
        var n2 = Assert.Single(told);
        Assert.Contains("已登记", (string)n2["title"]!);
        Assert.Equal($"/broker/deals/{registered.DealId}", (string)n2["link"]!);
    }

    [Fact]
    public async Task A_challenges_owner_hears_of_proposals_and_the_winner_of_the_award()
    {
        var (owner, _, winner, stranger) = await World();
        var listingId = Guid.NewGuid();
        await api.Deliver(new ProposalSubmitted
        {
            ListingId = listingId, ProposalId = Guid.NewGuid(), OwnerOrg = owner.Organisation, Title = "轨道车辆轻量化揭榜", SubMarket = "zhuzhou",
            ProposerOrg = winner.Organisation, ProposerOrgName = "中南示范大学", SubmittedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(new ChallengeAwarded
        {
            ListingId = listingId, Version = 5, ProposalId = Guid.NewGuid(), WinnerOrg = winner.Organisation, OwnerOrg = owner.Organisation,
            SubMarket = "zhuzhou", Field = "rail-transit", Amount = 2_000_000m, AwardedAt = DateTimeOffset.UtcNow,
        });

        var proposal = await One(owner, "proposal_received");
        Assert.Contains("中南示范大学", (string)proposal["body"]!);
        Assert.Equal($"/listings/{listingId}", (string)proposal["link"]!);
        var award = await One(winner, "challenge_awarded");
        Assert.Equal($"/listings/{listingId}", (string)award["link"]!);
        Assert.Contains("2,000,000 元", (string)award["body"]!);
        await None(owner, "challenge_awarded");
        await None(winner, "proposal_received");
        await None(stranger);
    }

    [Fact]
    public async Task A_submitted_application_reaches_the_registrars_of_its_point_only()
    {
        var applicant = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var point = "point-" + Guid.NewGuid().ToString("N")[..8];
        var registrar = await api.Account("registrars-" + point, Roles.Registrar, subMarket: point);
        var elsewhere = await api.Account("registrars-other", Roles.Registrar, subMarket: "other-" + point);
        var operatorOfPoint = await api.Account("operators-" + point, Roles.Operator, subMarket: point);
        var contractId = Guid.NewGuid();
        await api.Deliver(new ApplicationSubmitted
        {
            ContractId = contractId, ApplicantOrg = applicant.Organisation, RegistrationPoint = point, ContractName = "陶瓷隔膜专利转让合同",
            SubmittedAt = DateTimeOffset.UtcNow,
        });

        var n = await One(registrar, "application_submitted");
        Assert.Contains("陶瓷隔膜专利转让合同", (string)n["title"]!);
        Assert.Contains(applicant.Organisation + " 名称", (string)n["body"]!); // the applicant's name from the directory
        Assert.Equal("/registrar/queue", (string)n["link"]!);
        await None(elsewhere);
        await None(operatorOfPoint);
        await None(applicant);
    }

    [Fact]
    public async Task The_applicant_hears_of_every_decision_on_its_contract()
    {
        var applicant = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        var stranger = await api.Account(NotificationsApi.Org("csu"), Roles.University);
        var registered = Events.Registered(applicant.Organisation);
        await api.Deliver(registered);
        await api.Deliver(new ApplicationReturned
        {
            ContractId = registered.ContractId, ApplicantOrg = applicant.Organisation, RegistrationPoint = "changsha", ContractName = "隔膜专利转让",
            Note = "请补充专利权人变更证明", ReturnedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(new ContractRefused
        {
            ContractId = registered.ContractId, ApplicantOrg = applicant.Organisation, RegistrationPoint = "changsha", Reasons = ["非技术合同"],
            RefusedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(new RegistrationRevoked
        {
            ContractId = registered.ContractId, RegistrationNumber = registered.RegistrationNumber, ApplicantOrg = applicant.Organisation,
            RegistrationPoint = "changsha", Reason = "合同当事人申请撤销", RevokedAt = DateTimeOffset.UtcNow,
        });

        var link = $"/contracts/{registered.ContractId}";
        var done = await One(applicant, "application_registered");
        Assert.Contains(registered.RegistrationNumber, (string)done["body"]!);
        Assert.Equal(link, (string)done["link"]!);
        Assert.Contains("请补充专利权人变更证明", (string)(await One(applicant, "application_returned"))["body"]!);
        Assert.Contains("非技术合同", (string)(await One(applicant, "application_refused"))["body"]!);
        Assert.Contains("合同当事人申请撤销", (string)(await One(applicant, "application_revoked"))["body"]!);
        Assert.All(await api.Inbox(applicant), n => Assert.Equal(link, (string)n["link"]!));
        await None(stranger);
    }

    [Fact]
    public async Task A_refusal_from_a_release_that_did_not_name_the_applicant_tells_nobody()
    {
        var applicant = await api.Account(NotificationsApi.Org("hnu"), Roles.University);
        await api.Deliver(new ContractRefused
        {
            ContractId = Guid.NewGuid(), ApplicantOrg = null, RegistrationPoint = "changsha", Reasons = ["非技术合同"], RefusedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(Events.Registered(null));
        await None(applicant);
    }

    [Fact]
    public async Task The_admins_are_asked_to_load_a_missing_years_holiday_notice()
    {
        var admins = NotificationsApi.Org("xxkj-admin");
        var admin1 = await api.Account(admins, Roles.Admin);
        var admin2 = await api.Account(NotificationsApi.Org("xxkj-admin2"), Roles.Admin);
        var leftAdmin = await api.Account(admins, Roles.Admin, active: false);
        var registrar = await api.Account(NotificationsApi.Org("registry"), Roles.Registrar);
        await api.Deliver(new WorkingCalendarMissing { Year = 2027, DeadlineFrom = new DateOnly(2026, 12, 15), DetectedAt = DateTimeOffset.UtcNow });

        foreach (var admin in new[] { admin1, admin2 })
        {
            var n = await One(admin, "working_calendar_missing");
            Assert.Equal("请载入 2027 年节假日安排", (string)n["title"]!);
            Assert.Contains("2026-12-15", (string)n["body"]!);
            Assert.Contains("PUT /api/working-calendar/2027", (string)n["body"]!);
        }
        await None(leftAdmin);
        await None(registrar);
    }

    [Fact]
    public async Task An_approved_broker_hears_that_their_profile_is_active()
    {
        var broker = await api.Account(NotificationsApi.Org("agency"), Roles.Broker);
        var colleague = await api.Account(broker.Organisation, Roles.Broker);
        await api.Deliver(new BrokerApproved { BrokerId = Guid.NewGuid(), Subject = broker.Subject, Name = "王经纪", SubMarket = "changsha", ApprovedAt = DateTimeOffset.UtcNow });

        Assert.Equal("/broker/profile", (string)(await One(broker, "broker_approved"))["link"]!);
        await None(colleague);
    }

    [Fact]
    public async Task A_deactivated_account_is_told_nothing_even_when_an_older_account_event_arrives_late()
    {
        var org = NotificationsApi.Org("hnu");
        var kept = await api.Account(org, Roles.University);
        var leaving = await api.Account(org, Roles.University, version: 1);
        await api.Account(org, Roles.University, subject: leaving.Subject, active: false, version: 3);
        await api.Account(org, Roles.University, subject: leaving.Subject, active: true, version: 2); // reordered: older than the deactivation

        await api.Deliver(new ListingPublished { Listing = Events.Listing(org) });
        await One(kept, "listing_approved");
        await None(leaving);

        // a lead addressed to the deactivated subject is not made either
        await api.Deliver(new BrokerApproved { BrokerId = Guid.NewGuid(), Subject = leaving.Subject, Name = "离职", SubMarket = "changsha", ApprovedAt = DateTimeOffset.UtcNow });
        await None(leaving);
    }
}
