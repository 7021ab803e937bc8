using Deque.AxeCore.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>In a real browser: one save shows every error of the listing form, each input tied to its message for a screen reader.</summary>
public sealed class FormValidationBrowserTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_listing_saved_with_an_unreadable_price_marks_every_invalid_input_and_names_its_message()
    {
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/my/listings/new");
        await university.InteractiveAsync();
        await university.EnterAsync("title", "固态电解质膜干法制备技术");
        await university.EnterAsync("price-min", "五十万");
        await university.TestId("save").ClickAsync();

        await Expect(university.TestId("error-price")).ToContainTextAsync("请输入金额");
        await Expect(university.TestId("error-summary")).ToContainTextAsync("简介");
        await Expect(university.TestId("error-keywords")).ToBeVisibleAsync();
        await Expect(university.TestId("problem")).ToContainTextAsync("请修改标出的内容");

        var summary = university.TestId("summary");
        await Expect(summary).ToHaveAttributeAsync("aria-invalid", "true");
        // the accessible description is the message itself
        await Expect(summary).ToHaveAccessibleDescriptionAsync("请填写简介");
        await Expect(university.TestId("price-min")).ToHaveAccessibleDescriptionAsync("请输入金额（元），如 150000");
        await Expect(university.TestId("title")).Not.ToHaveAttributeAsync("aria-invalid", "true");

        var axe = await university.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "critical" or "serious").Select(v => v.Id));
    }
}
