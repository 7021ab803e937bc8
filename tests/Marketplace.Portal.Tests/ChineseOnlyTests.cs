using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;

namespace Marketplace.Portal.Tests;

/// <summary>The portal speaks Chinese only: the API's "中文 / English" messages and its codes are shown in Chinese.</summary>
public sealed class ChineseOnlyTests : SignedInTestContext
{
    private static readonly Guid DealId = Guid.Parse("0d6f3c52-0000-0000-0000-0000000000d7");

    [Fact]
    public void An_API_refusal_is_shown_by_its_Chinese_half_in_the_banner_and_at_the_fields()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var listing = Guid.NewGuid();
        Api.Problem($"POST /api/listings/{listing}/interests", HttpStatusCode.BadRequest, "请求参数有误 / Invalid request", errors: new()
        {
            ["message"] = ["对接说明至少 2 个字 / message is 2–2000 characters."],
            ["mode"] = ["合作方式 / 转让方式不在所列范围内 / mode is not one of the listed modes."],
        });
        var form = Render<InterestForm>(p => p.Add(f => f.ListingId, listing).Add(f => f.ListingTitle, "隔膜技术"));
        form.Find("[data-testid=express]").Click();
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Equal("对接说明至少 2 个字", form.Find("[data-testid=error-message]").TextContent.Trim()));
        // a " / " between Chinese words is part of the Chinese
        Assert.Contains("合作方式 / 转让方式不在所列范围内", form.Markup);
        Assert.DoesNotContain("characters", form.Markup);
        Assert.DoesNotContain("listed modes", form.Markup);
    }

    [Fact]
    public async Task A_problem_without_fields_keeps_its_Chinese_title_and_detail_only()
    {
        var problem = await ApiProblem.FromAsync(FakeApi.ProblemAnswer(HttpStatusCode.Conflict, "状态不允许 / Not allowed now",
            "申请已提交，不能再删除材料 / The application was submitted; its documents cannot change."), CancellationToken.None);
        Assert.Equal("状态不允许", problem.Title);
        Assert.Equal("申请已提交，不能再删除材料", problem.Message);
        // an answer that is not a ProblemDetails says so in Chinese, not with the HTTP reason phrase
        var unreadable = await ApiProblem.FromAsync(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>") }, CancellationToken.None);
        Assert.Equal("服务暂时不可用，请稍后重试", unreadable.Message);
        Assert.Equal("请求失败", unreadable.Title);
    }

    [Fact]
    public void A_deals_history_reads_in_Chinese_without_the_services_English_notes()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/deals/{DealId}", new DealView
        {
            Id = DealId, Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", Stage = DealStage.Contacted,
            NextStage = DealStage.Negotiating, Version = 2, BrokerId = Guid.NewGuid(),
            Parties = [new DealParty("demo-enterprise-org", "长沙示范智造有限公司（演示）"), new DealParty("demo-university-org", "湖南示范大学（演示）")],
            History =
            [
                new DealChange(DateTimeOffset.UtcNow.AddHours(-1), null, DealStage.Lead, "接受线索 / lead accepted"),
                new DealChange(DateTimeOffset.UtcNow, DealStage.Lead, DealStage.Contacted, "从对接意向开启 / opened from the introduction"),
            ],
        }, version: 2);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=history] li").Count));
        var history = page.FindAll("[data-testid=history] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.EndsWith("开启 → 线索 接受线索", history[0]);
        Assert.EndsWith("线索 → 已联系 从对接意向开启", history[1]);
        Assert.DoesNotContain("lead accepted", page.Markup);
        Assert.DoesNotContain("introduction", page.Markup);
    }

    [Theory]
    [InlineData("增值税免征 / VAT exemption", "增值税免征")]
    [InlineData("技术转让所得减免企业所得税（500 万元以内免征，超过部分减半）/ EIT relief on technology-transfer income", "技术转让所得减免企业所得税（500 万元以内免征，超过部分减半）")]
    [InlineData("合作方式 / 转让方式不在所列范围内 / mode is not listed.", "合作方式 / 转让方式不在所列范围内")]
    [InlineData("只有中文", "只有中文")]
    public void A_bilingual_text_is_shown_by_its_Chinese_half(string text, string shown) =>
        Assert.Equal(shown, Labels.Chinese(text));

    [Theory]
    [InlineData("drafted", "起草")]
    [InlineData("submitted", "提交登记")]
    [InlineData("returned", "退回补正")]
    [InlineData("resubmitted", "补正后重新提交")]
    [InlineData("registered", "认定登记")]
    [InlineData("document_added", "添加文件")]
    [InlineData("a_future_action", "其他操作")]
    public void A_contracts_history_names_each_action_in_Chinese(string action, string shown) =>
        Assert.Equal(shown, Labels.ContractAction(action));

    [Theory]
    [InlineData("registered", "有效（已登记）")]
    [InlineData("revoked", "已撤销")]
    [InlineData("returned_for_correction", "退回补正")]
    [InlineData("something_else", "其他状态")]
    public void A_tax_check_names_the_status_it_saw_in_Chinese(string code, string shown) =>
        Assert.Equal(shown, Labels.StatusSeen(code));

    [Theory]
    [InlineData(VerificationStatus.Valid, "有效")]
    [InlineData(VerificationStatus.Revoked, "已撤销")]
    [InlineData(VerificationStatus.Unknown, "未找到该编号")]
    public void A_verification_is_named_in_Chinese_only(VerificationStatus status, string shown) =>
        Assert.Equal(shown, Labels.Verification(status));

    [Fact]
    public void An_unknown_address_gets_a_Chinese_page_with_one_heading()
    {
        var page = Render<NotFound>();
        Assert.Equal("页面不存在", page.Find("h1").TextContent.Trim());
        Assert.Single(page.FindAll("h1"));
        Assert.Equal("/", page.Find(".ant-result-extra a").GetAttribute("href"));
    }
}
