using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The admin page's working-day calendar: which years are loaded, and loading or correcting one.</summary>
public sealed class CalendarAdminTests : SignedInTestContext
{
    private static readonly DateTimeOffset Updated = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    private static CalendarYearView Year2026 => new(2026, "国务院办公厅关于2026年部分节假日安排的通知", [new(2026, 1, 1), new(2026, 2, 16)], [new(2026, 2, 14)], Updated, 3);

    private void Answer()
    {
        SignIn(Roles.Admin, "xxkj-platform");
        Api.On("GET /api/working-calendar", Page(new CalendarYearSummary(2027, false, null, Updated, 1), new CalendarYearSummary(2026, true, Year2026.Source, Updated, 3)));
        Api.On("GET /api/working-calendar/2026", Year2026, version: 3);
        Api.Problem("GET /api/working-calendar/2027", System.Net.HttpStatusCode.NotFound, "2027 年的节假日安排尚未载入 / The 2027 holiday notice is not loaded.");
        Api.On("PUT /api/working-calendar/2027", new CalendarSetView(new CalendarYearView(2027, "测试通知", [new(2027, 1, 1)], [], Updated, 2), true, 4), version: 2);
        Api.On("PUT /api/working-calendar/2026", new CalendarSetView(Year2026 with { Version = 4 }, true, 0), version: 4);
    }

    [Fact]
    public void An_admin_sees_a_missing_year_and_loads_it_and_a_date_that_is_not_one_is_caught_before_sending()
    {
        Answer();
        var page = Render<Admin>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=calendar-year]").Count));
        Assert.Contains("未载入", page.Find("[data-testid=calendar-year][data-year=\"2027\"]").TextContent);
        Assert.Contains("已载入", page.Find("[data-testid=calendar-year][data-year=\"2026\"]").TextContent);
        Assert.Equal("holidays", page.Find("label[for=holidays]").GetAttribute("for"));

        page.Find("[data-testid=cal-year]").Change("2027");
        page.Find("[data-testid=cal-holidays]").Change("2027-01-01\n2027-02-30");
        page.Find("[data-testid=cal-source]").Change("测试通知");
        page.Find("[data-testid=calendar-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("2027-02-30", page.Find("[data-testid=error-holidays]").TextContent));
        Assert.Empty(Api.Sent("PUT", "/api/working-calendar"));

        page.Find("[data-testid=cal-holidays]").Change("2027-01-01");
        page.Find("[data-testid=calendar-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("4 件待审申请的期限已重新计算", page.Find("[data-testid=notice]").TextContent));
        var sent = Api.Sent("PUT", "/api/working-calendar/2027").Single();
        Assert.Null(sent.IfMatch);   // a year not loaded yet is created
        var body = JsonDocument.Parse(sent.Body!).RootElement;
        Assert.Equal(["2027-01-01"], body.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(0, body.GetProperty("workingDays").GetArrayLength());
        Assert.Equal("测试通知", body.GetProperty("source").GetString());
    }

    [Fact]
    public void A_correction_starts_from_the_loaded_year_and_names_the_version_it_read()
    {
        Answer();
        var page = Render<Admin>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=calendar-year]").Count));
        page.Find("[data-testid=cal-year]").Change("2026");
        page.Find("[data-testid=cal-load]").Click();
        page.WaitForAssertion(() => Assert.Equal("2026-01-01\n2026-02-16", page.Find("[data-testid=cal-holidays]").GetAttribute("value")));
        Assert.Equal("2026-02-14", page.Find("[data-testid=cal-working]").GetAttribute("value"));
        page.Find("[data-testid=calendar-form]").Submit();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("PUT", "/api/working-calendar/2026")));
        Assert.Equal("\"3\"", Api.Sent("PUT", "/api/working-calendar/2026").Single().IfMatch);
    }
}

/// <summary>A registrar's queue marks a deadline counted without its year's holiday notice as 暂定.</summary>
public sealed class ProvisionalDeadlineTests : SignedInTestContext
{
    [Fact]
    public void A_provisional_deadline_is_marked_in_the_queue()
    {
        SignIn(Roles.Registrar, "registry-changsha", subMarket: "changsha");
        Api.On("GET /api/contracts", Page(
            new ApplicationView { Id = Guid.NewGuid(), Title = "年末提交的合同", ReceivedOn = new(2026, 12, 15), DecisionDue = new(2027, 1, 5), DecisionDueProvisional = true },
            new ApplicationView { Id = Guid.NewGuid(), Title = "年中提交的合同", ReceivedOn = new(2026, 6, 1), DecisionDue = new(2026, 6, 23) }));
        var page = Render<RegistrarQueue>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=deadline]").Count));
        Assert.Equal(["2027-01-05（暂定）", "2026-06-23"], page.FindAll("[data-testid=deadline]").Select(d => d.TextContent.Trim()));
    }
}
