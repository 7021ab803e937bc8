using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;

namespace Marketplace.Portal.Tests;

/// <summary>The operator dashboard's 技术输出 and 技术吸纳 tables, as the provincial bulletins count them.</summary>
public sealed class DashboardTests : SignedInTestContext
{
    private static TurnoverStats Stats(string view, string groupBy, params TurnoverGroup[] groups) =>
        new(groups.Sum(g => g.Count), groups.Sum(g => g.Turnover), groups.Sum(g => g.TechnologyTransactionAmount), groups) { View = view, GroupBy = groupBy };

    /// <summary>Answers each view and grouping of the turnover statistics with its own figures.</summary>
    private void AnswerViews()
    {
        Api.On("GET /api/stats/turnover", request =>
        {
            var query = request.RequestUri!.Query;
            var view = query.Contains("view=absorption", StringComparison.Ordinal) ? "absorption" : query.Contains("view=output", StringComparison.Ordinal) ? "output" : "registration";
            var groupBy = query.Contains("groupBy=subMarket", StringComparison.Ordinal) ? "subMarket" : "type";
            return FakeApi.Json((view, groupBy) switch
            {
                ("output", "type") => Stats(view, groupBy, new TurnoverGroup("development", 2, 1_400_000m, 1_300_000m), new TurnoverGroup("license", 1, 2_000_000m, 1_500_000m)),
                ("absorption", "type") => Stats(view, groupBy, new TurnoverGroup("consulting", 1, 300_000m, 300_000m)),
                ("output", _) => Stats(view, groupBy, new TurnoverGroup("changsha", 3, 3_200_000m, 2_600_000m)),
                ("absorption", _) => Stats(view, groupBy, new TurnoverGroup("changsha", 2, 700_000m, 700_000m), new TurnoverGroup("outside", 2, 1_300_000m, 1_200_000m)),
                _ => Stats(view, groupBy) with { Target = new TurnoverTarget(2025, 1_500_000m, 2m, 2027, 3_000_000m, 750_000m) },
            });
        });
    }

    [Fact]
    public void The_provincial_dashboard_shows_new_active_brokers_per_year_against_the_target_beside_the_turnover_target()
    {
        SignIn(Roles.Operator, "xxkj-operator-org", subMarket: "hq");
        AnswerViews();
        var year = Labels.ThisYear;
        Api.On("GET /api/brokers/growth", new BrokerGrowth(null,
            [new BrokerGrowthYear(year - 1, 120, 118, 500), new BrokerGrowthYear(year, 200, 200, 500)],
            new BrokerTarget(year - 1, year + 1, 1500, 500, 320)));
        var page = Render<OperatorDashboard>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=target-row]").Count));

        Assert.Equal(["全省技术合同成交额（2027年较2025年翻2倍）", "¥3,000,000", "¥750,000", "25%"], Cells(page.Find("[data-target=turnover]")));
        Assert.Equal([$"全省新增技术经纪（经理）人（{year - 1}–{year + 1}年）", "1500 名", "320 名", "21.3%"], Cells(page.Find("[data-target=brokers]")));
        Assert.Equal([$"全省本年新增在册经纪人（{year}年）", "500 名", "200 名", "40%"], Cells(page.Find("[data-target=brokers-year]")));
        Assert.Equal([$"{year - 1}年", "120", "118", "500"], Cells(page.Find($"[data-testid=broker-year][data-year=\"{year - 1}\"]")));
        Assert.Equal(["指标", "目标", "已完成", "完成率"], page.FindAll("[data-testid=plan-targets] thead th").Take(4).Select(th => th.TextContent));
        Assert.Equal("/api/brokers/growth", Api.Sent("GET", "/api/brokers/growth").Single().PathAndQuery);
        Assert.Single(page.FindAll("h1"));
    }

    [Fact]
    public void A_city_operator_sees_their_own_new_brokers_with_no_share_of_the_target_unless_one_is_set()
    {
        SignIn(Roles.Operator, "changsha-operator-org", subMarket: "changsha");
        AnswerViews();
        Api.On("GET /api/brokers/growth", new BrokerGrowth("changsha", [new BrokerGrowthYear(Labels.ThisYear, 7, 6, null)], null));
        var page = Render<OperatorDashboard>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=target-row]").Count));
        Assert.Equal([$"长沙分市场本年新增在册经纪人（{Labels.ThisYear}年）", "—", "7 名", "—"], Cells(page.Find("[data-target=brokers-year]")));
        Assert.Equal("/api/brokers/growth?subMarket=changsha", Api.Sent("GET", "/api/brokers/growth").Single().PathAndQuery);
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) => [.. row.Children.Select(c => c.TextContent.Trim())];

    [Fact]
    public void An_hq_operator_sees_output_and_absorption_by_type_and_can_regroup_them_by_sub_market()
    {
        SignIn(Roles.Operator, "xxkj-operator-org", subMarket: "hq");
        AnswerViews();
        var page = Render<OperatorDashboard>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=turnover-view]").Count));

        var output = page.Find("[data-testid=turnover-view][data-view=output]");
        Assert.Equal("技术输出（按卖方所在地）", output.QuerySelector("h2")!.TextContent);
        Assert.Equal(["合同类别", "合同数", "成交额（元）", "技术交易额（元）"], output.QuerySelectorAll("thead th").Select(th => th.TextContent));
        Assert.All(output.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        Assert.Equal(["技术开发", "2", "¥1,400,000", "¥1,300,000"], Cells(output.QuerySelector("[data-key=development]")!));
        Assert.Equal(["合计", "3", "¥3,400,000", "¥2,800,000"], Cells(output.QuerySelector("[data-key=total]")!));
        Assert.Equal($"/portal/export/turnover.xlsx?view=output&groupBy=type&year={Labels.ThisYear}",
            output.QuerySelector("[data-testid=export-output]")!.GetAttribute("href"));
        Assert.Equal(["技术咨询", "1", "¥300,000", "¥300,000"], Cells(page.Find("[data-testid=turnover-view][data-view=absorption] [data-key=consulting]")));
        // the whole province: no sub-market filter
        Assert.All(Api.Sent("GET", "/api/stats/turnover?view="), r => Assert.DoesNotContain("subMarket=", r.PathAndQuery));
        // the grouping is a labelled control
        Assert.Equal("turnover-grouping", page.Find("label[for=turnover-grouping]").GetAttribute("for"));
        Assert.Single(page.FindAll("h1"));

        page.Find("[data-testid=turnover-grouping]").Change("subMarket");
        page.WaitForAssertion(() => Assert.Equal(["省外", "2", "¥1,300,000", "¥1,200,000"],
            Cells(page.Find("[data-testid=turnover-view][data-view=absorption] [data-key=outside]"))));
        Assert.Equal("分市场", page.Find("[data-testid=turnover-view][data-view=absorption] thead th").TextContent);
        Assert.Contains("export-absorption", page.Markup);
        Assert.Contains("view=absorption&amp;groupBy=subMarket", page.Markup);
    }

    [Fact]
    public void A_city_operator_sees_their_own_sub_markets_output_and_absorption()
    {
        SignIn(Roles.Operator, "changsha-operator-org", subMarket: "changsha");
        AnswerViews();
        var page = Render<OperatorDashboard>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=turnover-view]").Count));
        var asked = Api.Sent("GET", "/api/stats/turnover?view=").Select(r => r.PathAndQuery).ToList();
        Assert.Equal(2, asked.Count);
        Assert.All(asked, q => Assert.Contains("&subMarket=changsha", q));
    }
}

/// <summary>The Excel sheets of the statistics' views: named for the view and the grouping, each key in words.</summary>
public sealed class TurnoverSheetTests
{
    [Fact]
    public void Each_view_is_its_own_sheet_with_its_keys_in_words()
    {
        Assert.Equal("2026年技术输出-合同类别", Exports.TurnoverSheetName("output", "type", 2026));
        Assert.Equal("2026年技术吸纳-分市场", Exports.TurnoverSheetName("absorption", "subMarket", 2026));
        Assert.Equal("2026年成交额", Exports.TurnoverSheetName("registration", "subMarket", 2026));

        var row = Exports.TurnoverRow("subMarket", new TurnoverGroup("outside", 2, 1_300_000m, 1_200_000m));
        Assert.Equal(["分市场", "登记合同数", "成交额（元）", "技术交易额（元）"], row.Keys);
        Assert.Equal(["省外", 2, 1_300_000m, 1_200_000m], row.Values);
        Assert.Equal("技术许可", Exports.TurnoverRow("type", new TurnoverGroup("license", 1, 1m, 1m))["合同类别"]);
        Assert.Equal("2026年04月", Exports.TurnoverRow("month", new TurnoverGroup("2026-04", 1, 1m, 1m))["月份"]);
        Assert.Equal("新材料", Exports.TurnoverRow("field", new TurnoverGroup("materials", 1, 1m, 1m))["技术领域"]);
    }
}
