using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>Actions that cannot be undone ask first: the first click sends nothing, 取消 sends nothing, only 确认 acts.</summary>
public sealed class ConfirmationTests : SignedInTestContext
{
    private static readonly Guid ListingId = Guid.Parse("0d6f3c52-0000-0000-0000-00000000c0f1");
    private static readonly Guid ContractId = Guid.Parse("0d6f3c52-0000-0000-0000-00000000c0f2");

    private static ListingView Listing(ListingStatus status = ListingStatus.PendingReview) => new()
    {
        Id = ListingId, Kind = ListingKind.Offer, Status = status, Version = 3, OwnerOrg = "demo-university-org", OwnerOrgName = "湖南示范大学（演示）",
        SubMarket = "changsha", Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Summary = "隔膜涂覆工艺", Field = "new-energy",
    };

    [Fact]
    public void The_operator_approves_a_listing_only_after_confirming()
    {
        SignIn(Roles.Operator, "xiangjiang-operator-org");
        Api.On("GET /api/listings", Page(Listing()));
        Api.On($"POST /api/listings/{ListingId}/approve", Listing(ListingStatus.Published) with { Version = 4 });
        var page = Render<Review>();
        page.WaitForAssertion(() => page.Find("[data-testid=approve]").Click());

        var ask = page.Find("[data-testid=approve-confirm]");
        Assert.Equal("group", ask.GetAttribute("role"));
        Assert.Contains("耐高温陶瓷涂覆锂电池隔膜制备技术", ask.TextContent);
        Assert.Empty(Api.Sent("POST", $"/api/listings/{ListingId}/approve"));
        page.Find("[data-testid=approve-cancel]").Click();
        Assert.Empty(page.FindAll("[data-testid=approve-confirm]"));
        Assert.Empty(Api.Sent("POST", $"/api/listings/{ListingId}/approve"));

        page.Find("[data-testid=approve]").Click();
        page.Find("[data-testid=approve-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Contains("已通过审核", page.Find("[data-testid=notice]").TextContent));
        Assert.Equal("\"3\"", Api.Sent("POST", $"/api/listings/{ListingId}/approve").Single().IfMatch);
    }

    [Fact]
    public void The_owner_withdraws_a_listing_only_after_confirming()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("GET /api/listings", Page(Listing(ListingStatus.Published)));
        Api.On($"POST /api/listings/{ListingId}/withdraw", Listing(ListingStatus.Withdrawn) with { Version = 4 });
        var page = Render<MyListings>();
        page.WaitForAssertion(() => page.Find("[data-testid=withdraw]").Click());
        Assert.Contains("不能恢复", page.Find("[data-testid=withdraw-confirm]").TextContent);
        Assert.Empty(Api.Sent("POST", $"/api/listings/{ListingId}/withdraw"));

        page.Find("[data-testid=withdraw-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", $"/api/listings/{ListingId}/withdraw")));
    }

    [Fact]
    public void The_challenge_owner_names_the_winner_only_after_confirming()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var proposal = new Proposal(Guid.NewGuid(), "湖南示范大学（演示）", "三个月内完成中试", 800000m);
        var challenge = Listing(ListingStatus.Published) with
        {
            Kind = ListingKind.Challenge,
            OwnerOrg = "demo-enterprise-org",
            Bounty = 1000000m,
            ProposalCount = 1,
            Proposals = [proposal],
        };
        Api.On($"GET /api/listings/{ListingId}", challenge, version: 3);
        Api.On($"POST /api/listings/{ListingId}/award", challenge with { Version = 4, Award = new Award("湖南示范大学（演示）") });
        var page = Render<ListingDetail>(p => p.Add(d => d.Id, ListingId));
        page.WaitForAssertion(() => page.Find("[data-testid=award]").Click());
        Assert.Contains("湖南示范大学（演示）", page.Find("[data-testid=award-confirm]").TextContent);
        Assert.Empty(Api.Sent("POST", $"/api/listings/{ListingId}/award"));

        page.Find("[data-testid=award-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Contains(proposal.Id.ToString(), Api.Sent("POST", $"/api/listings/{ListingId}/award").Single().Body));
    }

    private static ApplicationView Application(ApplicationStatus status) => new()
    {
        Id = ContractId,
        Status = status,
        Version = 5,
        Title = "隔膜浆料配方专利转让合同",
        RegistrationNumber = status == ApplicationStatus.Registered ? "2026430100000123" : null,
    };

    [Fact]
    public void The_registrar_registers_and_refuses_only_after_confirming()
    {
        SignIn(Roles.Registrar, "changsha-registration-org");
        Api.On($"GET /api/contracts/{ContractId}", Application(ApplicationStatus.Submitted), version: 5);
        Api.On($"POST /api/contracts/{ContractId}/register", Application(ApplicationStatus.Registered) with { Version = 6 });
        var page = Render<ContractDetail>(p => p.Add(d => d.Id, ContractId));
        page.WaitForAssertion(() => page.Find("[data-testid=refuse]").Click());
        page.Find("[data-testid=refuse-cancel]").Click();
        page.Find("[data-testid=register]").Click();
        Assert.Contains("登记编号", page.Find("[data-testid=register-confirm]").TextContent);
        Assert.DoesNotContain(Api.Requests, r => r.Method == "POST");

        page.Find("[data-testid=register-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", $"/api/contracts/{ContractId}/register")));
        Assert.Empty(Api.Sent("POST", $"/api/contracts/{ContractId}/refuse"));
    }

    [Fact]
    public void The_registrar_revokes_only_with_a_reason_and_after_confirming()
    {
        SignIn(Roles.Registrar, "changsha-registration-org");
        Api.On($"GET /api/contracts/{ContractId}", Application(ApplicationStatus.Registered), version: 5);
        Api.On($"POST /api/contracts/{ContractId}/revoke", Application(ApplicationStatus.Revoked) with { Version = 6 });
        var page = Render<ContractDetail>(p => p.Add(d => d.Id, ContractId));
        page.WaitForAssertion(() => page.Find("[data-testid=revoke]").Click());
        page.Find("[data-testid=revoke-confirmed]").Click();
        Assert.Equal("请先填写撤销理由", page.Find("[data-testid=revoke-error]").TextContent);
        Assert.Empty(Api.Sent("POST", $"/api/contracts/{ContractId}/revoke"));

        page.Find("[data-testid=revoke-reason]").Change("合同当事人以欺诈手段取得登记");
        page.Find("[data-testid=revoke-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", $"/api/contracts/{ContractId}/revoke")));
        var body = System.Text.Json.JsonDocument.Parse(Api.Sent("POST", $"/api/contracts/{ContractId}/revoke").Single().Body!);
        Assert.Equal("合同当事人以欺诈手段取得登记", body.RootElement.GetProperty("reason").GetString());
    }
}
