using System.Text.RegularExpressions;
using Marketplace.TestKit;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// What each user group does in the portal, in a real browser, asserting what they see on screen.
/// The screenshots of the main pages land in TestResults/screenshots (see <see cref="PortalMarket.Screenshots"/>).
/// </summary>
public sealed class JourneyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_university_offer_approved_by_the_operator_is_found_and_opened_by_an_enterprise()
    {
        var title = $"硫化物固态电解质膜连续干法制备技术（{Random.Shared.Next(1000, 9999)}）";

        // a visitor sees the market at a glance
        var visitor = await market.OpenAsync();
        await visitor.GotoAsync("/");
        await visitor.InteractiveAsync();
        await Expect(visitor.TestId("stats")).ToContainTextAsync("已发布科技成果");
        await Expect(visitor.TestId("turnover")).ToContainTextAsync("长沙分市场");
        await visitor.ShotAsync("home");

        // the university's technology office posts an offer; the form explains what is missing, in Chinese
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/my/listings/new");
        await university.InteractiveAsync();
        await university.EnterAsync("title", title);
        await university.TestId("save").ClickAsync();
        await Expect(university.TestId("error-summary")).ToContainTextAsync("简介");
        await Expect(university.TestId("error-field")).ToBeVisibleAsync();
        await Expect(university.TestId("problem")).ToContainTextAsync("请修改标出的内容");

        await university.EnterAsync("summary", "一种硫化物固态电解质薄膜的干法连续制备工艺，膜厚均匀、离子电导率高。");
        await university.EnterAsync("description", "成果包括电解质粉体改性、干法成膜与热压致密化工艺，以及与高镍正极的界面修饰方法，已完成中试线验证，可独占许可或转让。");
        await university.PickAsync("field", "new-energy");
        await university.EnterAsync("keywords", "固态电池、电解质膜、干法成膜");
        await university.PickAsync("maturity", "6");
        await university.TestId("mode-exclusive_license").CheckAsync();
        await university.EnterAsync("price-min", "300000");
        await university.EnterAsync("price-max", "800000");
        await university.TestId("save").ClickAsync();
        await university.WaitForURLAsync(new Regex("/my/listings$"));
        var mine = university.Locator("[data-testid=my-listing]", new() { HasText = title });
        await Expect(mine.Locator("[data-testid=my-listing-status]")).ToHaveTextAsync("草稿");
        await mine.Locator("[data-testid=submit]").ClickAsync();
        await Expect(mine.Locator("[data-testid=my-listing-status]")).ToHaveTextAsync("待审核");
        await university.ShotAsync("university-my-listings");

        // the sub-market's operator approves it from the review queue
        var operatorPage = await market.OpenAsync("demo-operator");
        await operatorPage.GotoAsync("/review");
        await operatorPage.InteractiveAsync();
        var queued = operatorPage.Locator("[data-testid=review-item]", new() { HasText = title });
        await Expect(queued).ToBeVisibleAsync();
        await operatorPage.ShotAsync("operator-review");
        await queued.Locator("[data-testid=approve]").ClickAsync();
        // publishing asks first; the confirm button has the focus, so Enter confirms
        await Expect(queued.Locator("[data-testid=approve-confirmed]")).ToBeFocusedAsync();
        await operatorPage.Keyboard.PressAsync("Enter");
        await Expect(operatorPage.TestId("notice")).ToContainTextAsync("已通过审核");
        await Expect(queued).ToHaveCountAsync(0);

        // an enterprise finds it with a Chinese query and a filter, and opens it
        var enterprise = await market.OpenAsync("demo-enterprise");
        await enterprise.GotoAsync("/search");
        await enterprise.InteractiveAsync();
        var hit = enterprise.Locator("[data-testid=hit]", new() { HasText = title });
        for (var attempt = 0; attempt < 40; attempt++)
        {
            // the listing reaches search through the bus a moment after approval
            await enterprise.EnterAsync("search-q", "固态电解质膜");
            await enterprise.PickAsync("search-kind", "offer");
            await enterprise.PickAsync("search-field", "new-energy");
            await enterprise.TestId("search-submit").ClickAsync();
            await enterprise.WaitForURLAsync(new Regex("q=.*field=new-energy"));
            await enterprise.WaitForTimeoutAsync(500);
            if (await hit.CountAsync() > 0) break;
        }
        await Expect(hit).ToBeVisibleAsync();
        Assert.Contains("<em>", await hit.Locator("[data-testid=hit-link]").InnerHTMLAsync()); // the query's terms are highlighted
        await Expect(enterprise.Locator("[data-facet=field]")).ToContainTextAsync("新能源");
        Assert.Contains("field=new-energy", enterprise.Url);
        await enterprise.ShotAsync("enterprise-search");
        await hit.Locator("[data-testid=hit-link]").ClickAsync();
        await Expect(enterprise.TestId("listing-title")).ToHaveTextAsync(title);
        await Expect(enterprise.TestId("listing-status")).ToHaveTextAsync("已发布");
        await enterprise.ShotAsync("listing-detail");

        // the same search at phone width: nothing wider than the screen
        var phone = await market.OpenAsync("demo-enterprise", width: 390, height: 844);
        await phone.GotoAsync("/search?q=" + Uri.EscapeDataString("固态电解质膜"));
        await phone.InteractiveAsync();
        await Expect(phone.Locator("[data-testid=hit]", new() { HasText = title })).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page is wider than a phone");
        await phone.ShotAsync("enterprise-search-phone");
    }

    [BrowserFact]
    public async Task A_page_of_another_role_says_no_access_and_its_API_refuses_too()
    {
        var enterprise = await market.OpenAsync("demo-enterprise");
        await enterprise.GotoAsync("/review");
        await Expect(enterprise.Locator("body")).ToContainTextAsync("无权访问");
        Assert.DoesNotContain("审核队列", await enterprise.Locator("header").InnerTextAsync()); // not in the enterprise's navigation
        var refused = await market.Api.Send(HttpMethod.Get, "/api/listings?status=pending_review", await market.TokenAsync("demo-enterprise"));
        await refused.Expect(403);

        var visitor = await market.OpenAsync();
        // the API's documents are public, in one page
        await visitor.GotoAsync("/docs");
        await Expect(visitor.TestId("api-v1")).ToContainTextAsync("/api/listings");
        await Expect(visitor.TestId("api-v1")).ToContainTextAsync("/api/contracts");
        await visitor.GotoAsync("/my/listings");
        await visitor.WaitForURLAsync(new Regex("/signin"));
        await Expect(visitor.TestId("signin-form")).ToBeVisibleAsync();

        // a wrong password is told plainly, in Chinese, and the visitor stays signed out
        await visitor.FillAsync("#username", "demo-university");
        await visitor.FillAsync("#password", "not-the-password");
        await visitor.ClickAsync("[data-testid=signin-submit]");
        await Expect(visitor.TestId("signin-error")).ToContainTextAsync("用户名或密码错误");
        await visitor.GotoAsync("/my/listings");
        await visitor.WaitForURLAsync(new Regex("/signin"));
    }

    [BrowserFact]
    public async Task An_enterprise_challenge_is_answered_by_a_university_and_awarded()
    {
        var title = $"盐碱地耐盐水稻品种选育攻关（{Random.Shared.Next(1000, 9999)}）";
        var enterprise = await market.OpenAsync("demo-enterprise");
        await enterprise.GotoAsync("/my/listings/new");
        await enterprise.InteractiveAsync();
        await enterprise.PickAsync("kind", "challenge");
        await enterprise.EnterAsync("title", title);
        await enterprise.EnterAsync("summary", "面向洞庭湖区盐碱地，征集耐盐水稻品种选育方案。");
        await enterprise.EnterAsync("description", "要求在含盐量千分之三的土壤中亩产不低于 450 公斤，三年内完成区域试验，欢迎高校院所揭榜。");
        await enterprise.PickAsync("field", "agriculture");
        await enterprise.EnterAsync("keywords", "耐盐水稻、育种");
        await enterprise.EnterAsync("deadline", DateTime.UtcNow.AddDays(120).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await enterprise.TestId("budget-negotiable").CheckAsync();
        await enterprise.EnterAsync("bounty", "2000000");
        await enterprise.EnterAsync("proposal-deadline", DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await enterprise.TestId("save").ClickAsync();
        await enterprise.WaitForURLAsync(new Regex("/my/listings$"));
        var mine = enterprise.Locator("[data-testid=my-listing]", new() { HasText = title });
        await mine.Locator("[data-testid=submit]").ClickAsync();
        await Expect(mine.Locator("[data-testid=my-listing-status]")).ToHaveTextAsync("待审核");
        var id = await mine.GetAttributeAsync("data-id");
        await (await market.Api.Send(HttpMethod.Post, $"/api/listings/{id}/approve", await market.TokenAsync("demo-operator"))).Expect(200);

        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync($"/listings/{id}");
        await university.InteractiveAsync();
        await university.EnterAsync("proposal-summary", "依托国家耐盐碱水稻技术创新中心的种质资源，采用分子标记辅助选择，三年完成两轮区试。");
        await university.TestId("propose").ClickAsync();
        await Expect(university.Locator("body")).ToContainTextAsync("已有 1 家揭榜");

        await enterprise.GotoAsync($"/listings/{id}");
        await enterprise.InteractiveAsync();
        await Expect(enterprise.TestId("proposal")).ToContainTextAsync("湖南示范大学");
        await enterprise.TestId("award").ClickAsync();
        await enterprise.TestId("award-confirmed").ClickAsync();
        await Expect(enterprise.Locator("body")).ToContainTextAsync("揭榜成功");
    }

    [BrowserFact]
    public async Task The_admin_sees_the_accounts_and_the_operator_their_sub_market_at_a_glance()
    {
        var admin = await market.OpenAsync("demo-admin");
        await admin.GotoAsync("/admin");
        await admin.InteractiveAsync();
        await Expect(admin.TestId("accounts")).ToContainTextAsync("demo-university");
        // a credit code with a wrong check digit is refused next to its field, and nothing is created
        await admin.EnterAsync("org-id", "csu-test");
        await admin.EnterAsync("org-name", "中南示范研究院");
        await admin.EnterAsync("org-code", "12430100MA4L00009X");
        await admin.TestId("org-save").ClickAsync();
        await Expect(admin.TestId("error-creditCode")).ToBeVisibleAsync();
        await admin.ShotAsync("admin");

        var operatorPage = await market.OpenAsync("demo-operator");
        await operatorPage.GotoAsync("/operator/dashboard");
        await operatorPage.InteractiveAsync();
        await Expect(operatorPage.TestId("dashboard")).ToContainTextAsync("在册经纪人");
        await operatorPage.ShotAsync("operator-dashboard");
    }

    [BrowserFact]
    public async Task The_session_cookie_holds_no_token_and_signing_out_ends_the_session()
    {
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/my/listings");
        await university.InteractiveAsync();
        var cookies = await university.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "xxkj.session");
        Assert.True(session.HttpOnly); // scripts cannot read it
        var storage = await university.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        Assert.DoesNotContain("eyJ", storage); // no token in browser storage

        // the token lives in the server-side session: without it the cookie is worth nothing
        var sessions = await market.SessionsAsync();
        Assert.NotEmpty(sessions);
        await market.ForgetSessionsAsync();
        await university.GotoAsync("/my/listings");
        await university.WaitForURLAsync(new Regex("/signin"));

        university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/my/listings");
        await university.InteractiveAsync();

        await university.TestId("signout").ClickAsync();
        await university.WaitForURLAsync(new Regex("/$"));
        await university.GotoAsync("/my/listings");
        await university.WaitForURLAsync(new Regex("/signin"));
    }
}
