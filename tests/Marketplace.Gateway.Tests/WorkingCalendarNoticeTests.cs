using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The embedded market end to end: a deadline that runs past the last loaded holiday notice (2026) is provisional,
/// and the admins — the notifications module, told by the registration module's event — hear of it once.
/// </summary>
public sealed class WorkingCalendarNoticeTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task A_deadline_past_the_loaded_calendars_is_provisional_and_the_admin_is_told_once()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var university = await gateway.SignIn("demo-university");
        var admin = await gateway.SignIn("demo-admin");
        // a large contract gets 30 working days of expert review: from December 2026 on, that always ends in a year
        // whose notice this market does not ship
        Assert.True(today >= new DateOnly(2026, 11, 17), "this test counts on today being late enough for 30 working days to leave 2026");
        var contract = new
        {
            title = "大型成套装备技术开发合同", type = "development", subtype = "commissioned", field = "equipment",
            seller = new { name = "湖南示范大学（演示）", creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
            buyer = new { name = "长沙示范智造有限公司（演示）", creditCode = CreditCode.WithCheck("91430100MA4L00002"), regionCode = "430104" },
            signedOn = today.AddDays(-3).ToString("yyyy-MM-dd"), validFrom = today.AddDays(-3).ToString("yyyy-MM-dd"),
            validTo = today.AddYears(2).ToString("yyyy-MM-dd"), totalAmount = 6_000_000m,
        };
        for (var i = 0; i < 2; i++)
        {
            var precheck = await (await _client.Send(HttpMethod.Post, "/api/contracts/precheck", university, contract)).Expect(200);
            Assert.True((bool)precheck["decision"]!["decisionDueProvisional"]!);
            Assert.Contains("尚未载入", (string)precheck["decision"]!["deadlineRule"]!);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var inbox = await (await _client.Send(HttpMethod.Get, "/api/notifications?pageSize=100", admin)).Expect(200);
            var told = inbox["items"]!.AsArray().Where(n => (string)n!["kind"]! == "working_calendar_missing").ToList();
            if (told.Count > 0)
            {
                Assert.Single(told);
                Assert.Contains("节假日安排", (string)told[0]!["title"]!);
                // a third deadline into the same year, and time for anything else to arrive: still one notice
                await (await _client.Send(HttpMethod.Post, "/api/contracts/precheck", university, contract)).Expect(200);
                await Task.Delay(TimeSpan.FromSeconds(2));
                var again = await (await _client.Send(HttpMethod.Get, "/api/notifications?pageSize=100", admin)).Expect(200);
                Assert.Single(again["items"]!.AsArray(), n => (string)n!["kind"]! == "working_calendar_missing");
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the admin was never told to load the missing year's notice");
            await Task.Delay(200);
        }
        // the year is listed as missing until an admin loads it
        var years = await (await _client.Send(HttpMethod.Get, "/api/working-calendar")).Expect(200);
        Assert.Contains(years["items"]!.AsArray(), y => !(bool)y!["loaded"]! && y["missingAnnouncedAt"] is not null);
    }
}
