using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>
/// One round of checking: a number the form cannot read does not hide what else is missing; the self-check's findings
/// stand at their fields and say whose they are; every invalid input says so to a screen reader.
/// </summary>
public sealed class FormValidationTests : SignedInTestContext
{
    private static void Invalid<T>(AngleSharp.Dom.IElement input, string errorId, IRenderedComponent<T> page, string text) where T : Microsoft.AspNetCore.Components.IComponent
    {
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Equal(errorId, input.GetAttribute("aria-describedby"));
        Assert.Contains(text, page.Find($"#{errorId}").TextContent);
    }

    private static void Valid(AngleSharp.Dom.IElement input)
    {
        Assert.False(input.HasAttribute("aria-invalid"));
        Assert.False(input.HasAttribute("aria-describedby"));
    }

    [Fact]
    public void An_offer_with_an_unreadable_price_shows_every_missing_field_at_once()
    {
        SignIn(Roles.University, "demo-university-org");
        var page = Render<ListingEditor>();
        page.Find("[data-testid=title]").Change("固态电解质膜");
        page.Find("[data-testid=price-min]").Change("五十万");
        page.Find("form").Submit();

        Assert.Empty(Api.Sent("POST", "/api/listings"));
        Assert.Contains("请修改标出的内容", page.Find("[data-testid=problem-message]").TextContent);
        Assert.Contains("请输入金额", page.Find("[data-testid=error-price]").TextContent);
        foreach (var field in new[] { "summary", "description", "field", "keywords", "maturity", "transferModes" })
            Assert.NotEmpty(page.FindAll($"[data-testid=error-{field}]"));
        Assert.Empty(page.FindAll("[data-testid=error-title]")); // six characters: enough

        Invalid(page.Find("[data-testid=summary]"), "summary-error", page, "请填写简介");
        Invalid(page.Find("[data-testid=keywords]"), "keywords-error", page, "关键词");
        Invalid(page.Find("[data-testid=price-min]"), "price-min-error", page, "请输入金额");
        Valid(page.Find("[data-testid=price-max]")); // only the lower end could not be read
        Valid(page.Find("[data-testid=title]"));
    }

    [Fact]
    public void A_demand_with_an_unreadable_budget_also_shows_its_missing_deadline_and_short_texts()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var page = Render<ListingEditor>();
        page.Find("[data-testid=title]").Change("电机");
        page.Find("[data-testid=budget-max]").Change("120万");
        page.Find("form").Submit();

        Assert.Empty(Api.Sent("POST", "/api/listings"));
        Assert.Contains("请输入金额", page.Find("[data-testid=error-budget]").TextContent);
        Assert.Contains("请选择需求截止日期", page.Find("[data-testid=error-deadline]").TextContent);
        Assert.Contains("标题至少 4 个字", page.Find("[data-testid=error-title]").TextContent);
        Invalid(page.Find("[data-testid=budget-max]"), "budget-min-error", page, "请输入金额");
        Invalid(page.Find("[data-testid=deadline]"), "deadline-error", page, "截止日期");
    }

    [Fact]
    public void A_listing_refused_by_the_API_marks_the_fields_it_names()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.Problem("POST /api/listings", HttpStatusCode.BadRequest, "请求参数有误", errors: new()
        {
            ["keywords[1]"] = ["关键词不能超过 20 个字 / keywords[1] is longer than 20 characters."],
        });
        var page = Render<ListingEditor>();
        page.Find("[data-testid=title]").Change("硫化物固态电解质膜连续干法制备技术");
        page.Find("[data-testid=summary]").Change("一种硫化物固态电解质薄膜的干法连续制备工艺。");
        page.Find("[data-testid=description]").Change("成果包括电解质粉体改性、干法成膜与热压致密化工艺，已完成中试线验证。");
        page.Find("[data-testid=field]").Change("new-energy");
        page.Find("[data-testid=keywords]").Change("固态电池、电解质膜");
        page.Find("[data-testid=maturity]").Change("6");
        page.Find("[data-testid=mode-transfer]").Change(true);
        page.Find("form").Submit();

        page.WaitForAssertion(() => Invalid(page.Find("[data-testid=keywords]"), "keywords-error", page, "关键词不能超过 20 个字"));
        Valid(page.Find("[data-testid=title]"));
    }

    private static readonly PrecheckView Findings = new(new RuleDecision(null,
    [
        new Finding("incomplete", Severity.Error, "缺少合同名称 / title is missing.", "2026", "第十条", "title"),
        new Finding("incomplete", Severity.Error, "缺少买方名称 / buyer.name is missing.", "2026", "第十条", "buyer.name"),
        new Finding("incomplete", Severity.Error, "缺少合同总金额 / totalAmount is missing.", "2026", "第十条", "totalAmount"),
        new Finding("credit_code_invalid", Severity.Error, "统一社会信用代码无效（18 位，含校验位）/ Not a valid unified social credit code.", "2026", "第七条", "seller.creditCode"),
        new Finding("contract_text_missing", Severity.Error, "缺少已签订的合同文本 / The signed contract text is missing.", "2026", "第九条", "documents"),
    ]), Registrable: false);

    [Fact]
    public void A_contract_with_an_unreadable_amount_is_not_saved_and_every_finding_stands_at_its_field()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("POST /api/contracts/precheck", Findings);
        var page = Render<ContractEditor>();
        page.Find("[data-testid=c-seller-name]").Change("湖南示范大学");
        page.Find("[data-testid=c-seller-code]").Change("12430000");
        page.Find("[data-testid=c-amount]").Change("120万");
        page.Find("form").Submit();

        // nothing saved; the self-check ran so that what else is wrong shows in this round
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=findings-seller]")));
        Assert.DoesNotContain(Api.Sent("POST", "/api/contracts"), r => r.PathAndQuery == "/api/contracts");
        Assert.Contains("请修改标出的内容", page.Find("[data-testid=problem-message]").TextContent);
        Assert.Contains("请输入合同总金额", page.Find("[data-testid=error-totalAmount]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=findings-totalAmount]")); // "missing" gives way to "unreadable"
        Assert.Contains("卖方：统一社会信用代码无效", page.Find("[data-testid=findings-seller]").TextContent);
        Assert.Contains("缺少买方名称", page.Find("[data-testid=findings-buyer]").TextContent);
        Assert.Contains("缺少合同名称", page.Find("[data-testid=findings-title]").TextContent);
        // only what no field shows is listed under the verdict
        var listed = page.Find("[data-testid=findings]").TextContent;
        Assert.Contains("合同文本", listed);
        Assert.DoesNotContain("统一社会信用代码", listed);

        Invalid(page.Find("[data-testid=c-seller-code]"), "c-seller-name-error", page, "卖方：统一社会信用代码无效");
        Valid(page.Find("[data-testid=c-seller-name]"));
        Invalid(page.Find("[data-testid=c-buyer-name]"), "c-buyer-name-error", page, "缺少买方名称");
        Invalid(page.Find("[data-testid=c-amount]"), "c-amount-error", page, "请输入合同总金额");
        Invalid(page.Find("[data-testid=c-title]"), "title-error", page, "缺少合同名称");
    }

    [Fact]
    public void A_self_check_with_an_unreadable_cost_still_runs_and_marks_that_cost()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("POST /api/contracts/precheck", Findings);
        var page = Render<ContractEditor>();
        page.Find("[data-testid=c-add-cost]").Click();
        page.Find("[data-testid=c-cost-amount]").Change("三万");
        page.Find("[data-testid=precheck]").Click();

        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", "/api/contracts/precheck")));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=findings-seller]")));
        Assert.Contains("第 1 项费用的金额须为数字", page.Find("[data-testid=error-nonTechnicalCosts]").TextContent);
        Invalid(page.Find("[data-testid=c-cost-amount]"), "nonTechnicalCosts-error", page, "须为数字");
    }
}
