using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The broker's deal page: a contract registered without naming the deal is linked to it by its registration number.</summary>
public sealed class DealContractLinkTests : SignedInTestContext
{
    private static readonly Guid DealId = Guid.Parse("0d6f3c52-0000-0000-0000-0000000000d3");
    private const string Number = "2026430100000456";

    private static DealView Deal() => new()
    {
        Id = DealId, Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", Stage = DealStage.ContractSigned,
        Version = 6, BrokerId = Guid.NewGuid(),
        History = [new DealChange(DateTimeOffset.UtcNow.AddDays(-2), null, DealStage.Lead, null)],
    };

    private static DealView Registered() => Deal() with
    {
        Stage = DealStage.Registered,
        Version = 7,
        Contract = new RegisteredContract(Number, 300000m),
        History = [.. Deal().History, new DealChange(DateTimeOffset.UtcNow, DealStage.ContractSigned, DealStage.Registered, $"技术合同已认定登记，登记号 {Number} / Contract registered as {Number}")],
    };

    [Fact]
    public void The_broker_links_a_registered_contract_by_its_number_and_the_deal_shows_its_registered_stage_and_contract()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        Api.On($"GET /api/deals/{DealId}", Deal(), version: 6);
        Api.On($"POST /api/deals/{DealId}/contract", Registered(), version: 7);
        var page = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Contains("关联已登记合同", page.Markup));
        Assert.Equal("合同登记号", page.Find("label[for=registration-number]").TextContent.Trim());

        page.Find("[data-testid=registration-number]").Change(Number);
        page.Find("[data-testid=link-contract-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains(Number, page.Find("[data-testid=deal-contract]").TextContent));
        Assert.Contains("合同已登记", page.Find("[data-testid=deal-stage]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=link-contract]"));
        var sent = Assert.Single(Api.Sent("POST", $"/api/deals/{DealId}/contract"));
        Assert.Contains($"\"registrationNumber\":\"{Number}\"", sent.Body);
    }

    [Fact]
    public void A_refused_number_is_explained_in_Chinese_at_the_field_and_the_deal_stays_as_it_was()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        Api.On($"GET /api/deals/{DealId}", Deal(), version: 6);
        Api.Problem($"POST /api/deals/{DealId}/contract", HttpStatusCode.UnprocessableEntity, "不能关联该合同 / The contract cannot be linked",
            $"登记号 {Number} 的合同申请方不是本交易的一方，不能关联 / The applicant of contract {Number} is not a party to this deal.",
            new() { ["registrationNumber"] = [$"登记号 {Number} 的合同申请方不是本交易的一方，不能关联 / The applicant of contract {Number} is not a party to this deal."] });
        var page = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => page.Find("[data-testid=registration-number]").Change(Number));

        page.Find("[data-testid=link-contract-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal($"登记号 {Number} 的合同申请方不是本交易的一方，不能关联",
            page.Find("[data-testid=error-registrationNumber]").TextContent.Trim()));
        Assert.DoesNotContain("applicant", page.Markup);
        Assert.Equal("true", page.Find("[data-testid=registration-number]").GetAttribute("aria-invalid"));
        Assert.Contains("已签合同", page.Find("[data-testid=deal-stage]").TextContent);
        Assert.Single(page.FindAll("[data-testid=link-contract]"));
    }

    [Fact]
    public void A_registered_deal_has_no_form_to_link_a_contract()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        Api.On($"GET /api/deals/{DealId}", Registered(), version: 7);
        var registered = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        registered.WaitForAssertion(() => Assert.Contains(Number, registered.Find("[data-testid=deal-contract]").TextContent));
        Assert.Empty(registered.FindAll("[data-testid=link-contract]"));
    }

    [Fact]
    public void An_operator_reading_the_deal_has_no_form_to_link_a_contract()
    {
        SignIn(Roles.Operator, "operators-changsha");
        Api.On($"GET /api/deals/{DealId}", Deal(), version: 6);
        var page = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Contains("经纪人按合同登记号关联", page.Find("[data-testid=deal-contract-link-hint]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=link-contract]"));
    }
}
