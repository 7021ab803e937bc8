using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The parties' deal page: with no broker, the parties link a contract registered without naming the deal by its number.</summary>
public sealed class PartyDealContractLinkTests : SignedInTestContext
{
    private static readonly Guid DealId = Guid.Parse("0d6f3c52-0000-0000-0000-0000000000d4");
    private const string Number = "2026430100000789";

    private static DealView Deal(bool withBroker) => new()
    {
        Id = DealId, Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", Stage = DealStage.ContractSigned,
        NextStage = null, Version = 5, BrokerId = withBroker ? Guid.NewGuid() : null, InterestId = Guid.NewGuid(),
        Parties = [new DealParty("demo-enterprise-org", "长沙示范智造有限公司（演示）"), new DealParty("demo-university-org", "湖南示范大学（演示）")],
        History = [new DealChange(DateTimeOffset.UtcNow.AddDays(-3), null, DealStage.Contacted, "从对接意向开启 / opened from the introduction")],
    };

    private static DealView Registered() => Deal(withBroker: false) with
    {
        Stage = DealStage.Registered,
        NextStage = DealStage.Closed,
        Version = 6,
        Contract = new RegisteredContract(Number, 300000m),
        History = [.. Deal(withBroker: false).History, new DealChange(DateTimeOffset.UtcNow, DealStage.ContractSigned, DealStage.Registered, $"技术合同已认定登记，登记号 {Number} / Contract registered as {Number}")],
    };

    [Fact]
    public void A_party_of_a_deal_without_a_broker_links_a_registered_contract_by_its_number_and_sees_the_registered_stage_and_contract()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/deals/{DealId}", Deal(withBroker: false), version: 5);
        Api.On($"POST /api/deals/{DealId}/contract", Registered(), version: 6);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Contains("关联已登记合同", page.Markup));
        Assert.Equal("合同登记号", page.Find("label[for=registration-number]").TextContent.Trim());

        page.Find("[data-testid=registration-number]").Change(Number);
        page.Find("[data-testid=link-contract-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("合同已登记", page.Find("[data-testid=deal-stage]").TextContent));
        Assert.Contains($"{Number}（", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=link-contract]"));
        Assert.Empty(page.FindAll("[data-testid=apply-contract]"));
        Assert.Contains("技术合同已认定登记", page.Find("[data-testid=history]").TextContent);
        Assert.DoesNotContain("Contract registered", page.Markup);
        var sent = Assert.Single(Api.Sent("POST", $"/api/deals/{DealId}/contract"));
        Assert.Contains($"\"registrationNumber\":\"{Number}\"", sent.Body);
    }

    [Fact]
    public void A_party_of_a_deal_with_a_broker_has_no_form_to_link_a_contract_and_is_told_the_broker_links_it()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"GET /api/deals/{DealId}", Deal(withBroker: true), version: 5);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Contains("由经纪人按合同登记号关联", page.Find("[data-testid=deal-broker-hint]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=link-contract]"));
        Assert.NotEmpty(page.FindAll("[data-testid=apply-contract]"));
    }

    [Fact]
    public void A_registered_deal_without_a_broker_has_no_form_to_link_a_contract()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/deals/{DealId}", Registered(), version: 6);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Contains("合同已登记", page.Find("[data-testid=deal-stage]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=link-contract]"));
    }

    [Fact]
    public void A_number_refused_to_a_party_is_explained_in_Chinese_at_the_field_and_the_deal_stays_as_it_was()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"GET /api/deals/{DealId}", Deal(withBroker: false), version: 5);
        const string refusal = $"未找到登记号为 {Number} 的已登记合同，请核对登记号；合同刚登记的，请稍后再试 / No registered contract is known as {Number}: check the number, or retry in a minute if it was just registered.";
        Api.Problem($"POST /api/deals/{DealId}/contract", HttpStatusCode.UnprocessableEntity, "不能关联该合同 / The contract cannot be linked", refusal,
            new() { ["registrationNumber"] = [refusal] });
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => page.Find("[data-testid=registration-number]").Change(Number));

        page.Find("[data-testid=link-contract-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal($"未找到登记号为 {Number} 的已登记合同，请核对登记号；合同刚登记的，请稍后再试",
            page.Find("[data-testid=error-registrationNumber]").TextContent.Trim()));
        Assert.DoesNotContain("No registered contract", page.Markup);
        Assert.Equal("true", page.Find("[data-testid=registration-number]").GetAttribute("aria-invalid"));
        Assert.Contains("已签合同", page.Find("[data-testid=deal-stage]").TextContent);
        Assert.Single(page.FindAll("[data-testid=link-contract]"));
    }
}
