using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using Marketplace.Registration.Applications;
using Marketplace.Registration.Calendar;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Registration.Tests;

/// <summary>The working-day calendar through the API: shipped, loaded and corrected by admins, counted on by every deadline.</summary>
public sealed class CalendarApiTests : IDisposable
{
    private readonly RegistrationApi _api = new();

    public void Dispose() => _api.Dispose();

    private string Admin => _api.Tokens.For(Roles.Admin, "xxkj", "hq", sub: "admin@xxkj");

    /// <summary>A calendar for 2027 as a test writes it (the real 2027 notice is not published here): 元旦 on Friday 1-1, and a Saturday worked.</summary>
    private static object Calendar2027(string source = "测试用 2027 年节假日安排") => new
    {
        holidays = new[] { "2027-01-01", "2027-02-05", "2027-02-08" },
        workingDays = new[] { "2027-01-30" },
        source,
    };

    private Task<HttpResponseMessage> Put(int year, object? body, string? token, string? ifMatch = null) =>
        _api.Client.Send(HttpMethod.Put, $"/api/working-calendar/{year}", token, body, ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch });

    private static object Application(DateOnly signed) => new
    {
        title = "年末提交的技术开发合同",
        type = "development",
        subtype = "commissioned",
        field = "transport",
        seller = new { name = "湖南示范大学", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
        buyer = new { name = "株洲示范轨道装备有限公司", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("91430200MA4L00002"), regionCode = "430211" },
        signedOn = signed.ToString("yyyy-MM-dd"),
        validFrom = signed.ToString("yyyy-MM-dd"),
        validTo = "2028-12-31",
        totalAmount = 800_000m,
    };

    [Fact]
    public async Task The_2026_notice_is_shipped_and_anyone_can_read_it()
    {
        var year = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2026")).Expect(200);
        Assert.Contains("国务院办公厅关于2026年部分节假日安排的通知", (string)year["source"]!);
        Assert.Contains("2026-02-14", year["workingDays"]!.AsArray().Select(d => (string)d!));
        Assert.Contains("2026-10-07", year["holidays"]!.AsArray().Select(d => (string)d!));
        Assert.Null(year["history"]);   // who changed it is for admins
        Assert.Null((await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2026", _api.Registrar())).Expect(200))["history"]);
        var audited = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2026", Admin)).Expect(200);
        Assert.Equal("reference-data", (string)audited["history"]![0]!["by"]!);

        await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2027")).Expect(404);
        await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/next")).Expect(400);
        var list = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar")).Expect(200);
        Assert.Equal([2026], list["items"]!.AsArray().Select(i => (int)i!["year"]!));
    }

    [Fact]
    public async Task A_deadline_into_a_year_without_a_calendar_is_provisional_the_admins_are_told_once_and_loading_the_year_recounts_it()
    {
        _api.Clock.Now = new DateTimeOffset(2026, 12, 15, 2, 0, 0, TimeSpan.Zero);   // Tuesday 10:00 in Changsha
        var signed = new DateOnly(2026, 12, 10);
        var first = await _api.Submitted(Application(signed));
        Assert.Equal("2027-01-05", (string)first["decisionDue"]!);   // 1-1 counted as a weekday
        Assert.True((bool)first["decisionDueProvisional"]!);

        // a second application and a self-check reach 2027 too: still one notice
        var second = await _api.Submitted(Application(signed));
        Assert.True((bool)second["decisionDueProvisional"]!);
        var precheck = await (await _api.Client.Send(HttpMethod.Post, "/api/contracts/precheck", _api.Seller(), Application(signed))).Expect(200);
        Assert.True((bool)precheck["decision"]!["decisionDueProvisional"]!);
        var missing = await _api.Published<WorkingCalendarMissing>(m => m.Year == 2027);
        Assert.Equal(new DateOnly(2026, 12, 15), missing.DeadlineFrom);
        await Task.Delay(500);   // two outbox polls: anything else raised would be published by now
        Assert.Single(_api.Harness.Published.Select<WorkingCalendarMissing>());

        var years = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar")).Expect(200);
        var announced = years["items"]!.AsArray().Single(i => (int)i!["year"]! == 2027)!;
        Assert.False((bool)announced["loaded"]!);
        Assert.NotNull(announced["missingAnnouncedAt"]);

        // one waiting in 2026 alone is not touched by loading 2027
        _api.Clock.Now = new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);
        var within = await _api.Submitted(Application(new DateOnly(2026, 10, 30)));
        _api.Clock.Now = new DateTimeOffset(2026, 12, 15, 2, 0, 0, TimeSpan.Zero);

        // the admin loads 2027: both pending deadlines are counted on it (1-1 off: 1-6 is the 15th)
        var loaded = await (await Put(2027, Calendar2027(), Admin)).Expect(200);
        Assert.True((bool)loaded["changed"]!);
        Assert.Equal(2, (int)loaded["deadlinesRecounted"]!);
        foreach (var id in new[] { first["id"], second["id"] })
        {
            var application = await (await _api.Client.Send(HttpMethod.Get, $"/api/contracts/{id}", _api.Seller())).Expect(200);
            Assert.Equal("2027-01-06", (string)application["decisionDue"]!);
            Assert.False((bool)application["decisionDueProvisional"]!);
        }
        Assert.Single(_api.Harness.Published.Select<WorkingCalendarMissing>());
        var untouched = await (await _api.Client.Send(HttpMethod.Get, $"/api/contracts/{within["id"]}", _api.Seller())).Expect(200);
        Assert.Equal((long)within["version"]!, (long)untouched["version"]!);
        Assert.Equal("2026-11-23", (string)untouched["decisionDue"]!);
    }

    [Fact]
    public async Task Only_admins_load_a_calendar_and_bad_calendars_are_refused_with_the_reason_changing_nothing()
    {
        await (await Put(2027, Calendar2027(), null)).Expect(401);
        await (await Put(2027, Calendar2027(), _api.Registrar())).Expect(403);
        await (await Put(2027, Calendar2027(), _api.Seller())).Expect(403);

        async Task Refused(object? body, string field, string words, int year = 2027)
        {
            var problem = await (await Put(year, body, Admin)).Expect(400);
            var errors = problem["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"expected an error on {field}: {problem.ToJsonString()}");
            Assert.Contains(words, errors[field]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        await Refused(new { holidays = new[] { "2027-01-01", "2028-01-01" }, workingDays = Array.Empty<string>(), source = "通知" }, "holidays[1]", "不在 2027 年内");
        await Refused(new { holidays = new[] { "2027-01-30" }, workingDays = new[] { "2027-01-30" }, source = "通知" }, "workingDays[0]", "both a holiday and a working day");
        await Refused(new { holidays = Array.Empty<string>(), workingDays = new[] { "2027-01-04" }, source = "通知" }, "workingDays[0]", "Saturday or Sunday");
        await Refused(new { holidays = new[] { "2027-01-01", "2027-01-01" }, workingDays = Array.Empty<string>(), source = "通知" }, "holidays[1]", "重复列出");
        await Refused(new { holidays = new[] { "2027-01-01" }, workingDays = Array.Empty<string>() }, "source", "通知来源不能为空");
        await Refused(new { workingDays = Array.Empty<string>(), source = "通知" }, "holidays", "holidays is missing");
        await Refused(Calendar2027(), "year", "2000", year: 1999);
        var notJson = await (await Put(2027, "{\"holidays\": [\"2027-13-01\"]", Admin)).Expect(400);
        Assert.NotNull(notJson["detail"] ?? notJson["errors"]);

        // nothing was written, and the shipped year is as shipped
        await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2027")).Expect(404);
        var shipped = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2026", Admin)).Expect(200);
        Assert.Single(shipped["history"]!.AsArray());
    }

    [Fact]
    public async Task Racing_loads_of_one_year_each_land_once_in_its_history()
    {
        var answers = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Put(2027, Calendar2027($"测试通知 第 {i} 版"), Admin)));
        foreach (var answer in answers) await answer.Expect(200);
        var year = await (await _api.Client.Send(HttpMethod.Get, "/api/working-calendar/2027", Admin)).Expect(200);
        var history = year["history"]!.AsArray();
        Assert.Equal(20, history.Count);
        Assert.Equal("loaded", (string)history[0]!["action"]!);
        Assert.All(history.Skip(1), h => Assert.Equal("corrected", (string)h!["action"]!));
        Assert.Equal(20, history.Select(h => (string)h!["source"]!).Distinct().Count());
    }

    [Fact]
    public async Task A_correction_is_audited_uses_the_version_and_survives_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("registration-calendar-");
        try
        {
            using (var api = new RegistrationApiOnFolder(folder))
            {
                var admin = api.Tokens.For(Roles.Admin, "xxkj", "hq", sub: "admin@xxkj");
                var current = await api.Client.Send(HttpMethod.Get, "/api/working-calendar/2026", admin);
                var etag = current.Headers.ETag!.Tag;
                var year = await current.Expect(200);
                var holidays = year["holidays"]!.AsArray().Select(d => (string)d!).Where(d => d != "2026-06-19").Append("2026-12-31").ToArray();
                var corrected = new { holidays, workingDays = year["workingDays"]!.AsArray().Select(d => (string)d!).ToArray(), source = "更正：测试" };

                await (await api.Client.Send(HttpMethod.Put, "/api/working-calendar/2026", admin, corrected, new Dictionary<string, string> { ["If-Match"] = "\"99\"" })).Expect(412);
                var saved = await (await api.Client.Send(HttpMethod.Put, "/api/working-calendar/2026", admin, corrected, new Dictionary<string, string> { ["If-Match"] = etag })).Expect(200);
                var change = saved["calendar"]!["history"]!.AsArray().Last()!;
                Assert.Equal("corrected", (string)change["action"]!);
                Assert.Equal("admin@xxkj", (string)change["by"]!);
                Assert.Equal(["2026-12-31"], change["holidaysAdded"]!.AsArray().Select(d => (string)d!));
                Assert.Equal(["2026-06-19"], change["holidaysRemoved"]!.AsArray().Select(d => (string)d!));

                // the same calendar again changes nothing, and the stale tag no longer matches
                var again = await (await api.Client.Send(HttpMethod.Put, "/api/working-calendar/2026", admin, corrected)).Expect(200);
                Assert.False((bool)again["changed"]!);
                await (await api.Client.Send(HttpMethod.Put, "/api/working-calendar/2026", admin, corrected, new Dictionary<string, string> { ["If-Match"] = etag })).Expect(412);

                // deadlines are counted on the correction at once: 12-31 off pushes a 12-15 deadline on by a day
                api.Clock.Now = new DateTimeOffset(2026, 12, 15, 2, 0, 0, TimeSpan.Zero);
                var precheck = await (await api.Client.Send(HttpMethod.Post, "/api/contracts/precheck", api.Seller(), Application(new DateOnly(2026, 12, 10)))).Expect(200);
                Assert.Equal("2027-01-06", (string)precheck["decision"]!["decisionDue"]!);
            }
            using (var restarted = new RegistrationApiOnFolder(folder))
            {
                var year = await (await restarted.Client.Send(HttpMethod.Get, "/api/working-calendar/2026",
                    restarted.Tokens.For(Roles.Admin, "xxkj", "hq", sub: "admin@xxkj"))).Expect(200);
                Assert.Contains("2026-12-31", year["holidays"]!.AsArray().Select(d => (string)d!));
                Assert.DoesNotContain("2026-06-19", year["holidays"]!.AsArray().Select(d => (string)d!));
                Assert.Equal(2, year["history"]!.AsArray().Count);   // the shipped data did not overwrite the correction
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

/// <summary>The calendar moved from configuration into the store: a deployment still setting it is stopped with the way forward.</summary>
public sealed class RemovedCalendarSettingsTests
{
    private sealed class WithHolidaysSetting : RegistrationApi
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => base.Settings.Append(new("Registration:Holidays:0", "2026-10-01"));
    }

    [Fact]
    public void A_host_still_configured_with_Registration_Holidays_does_not_start_and_says_what_replaces_it()
    {
        using var api = new WithHolidaysSetting();
        var failure = Assert.ThrowsAny<Exception>(() => api.Client);
        Assert.Contains("Registration:Holidays is no longer read", failure.ToString());
        Assert.Contains("/api/working-calendar/", failure.ToString());
    }
}

/// <summary>A shipped notice loaded at start counts the deadlines already waiting on it (after an upgrade they were counted without it).</summary>
public sealed class ShippedCalendarRecountTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "registration-calendar-" + Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        try { _folder.Delete(true); } catch (IOException) { }
    }

    private static async Task<JsonObject> Read(RegistrationApi api, string id) =>
        await (await api.Client.Send(HttpMethod.Get, $"/api/contracts/{id}", api.Seller())).Expect(200);

    [Fact]
    public async Task Deadlines_counted_without_the_2026_notice_are_counted_on_it_when_a_start_loads_it()
    {
        string id, onCalendar;
        using (var before = new RegistrationApiOnFolder(_folder))
        {
            // received on Monday 21 September: fifteen working days run through 中秋 and 国庆 (and the 调休 of 10 October)
            before.Clock.Now = new DateTimeOffset(2026, 9, 21, 2, 0, 0, TimeSpan.Zero);
            var submitted = await before.Submitted(RegistrationApi.Application());
            id = (string)submitted["id"]!;
            onCalendar = (string)submitted["decisionDue"]!;

            // the store as an older version left it: no 2026 calendar, the deadline counted on weekdays
            var store = before.Services.GetRequiredKeyedService<IDocumentStore>(RegistrationModule.StoreKey);
            Assert.True(await store.DeleteAsync(WorkingCalendars.Collection, CalendarYear.Id(2026)));
            await before.Services.GetRequiredService<RegistrationService>().RecountDeadlinesAsync(CancellationToken.None);
            var weekdays = await Read(before, id);
            Assert.NotEqual(onCalendar, (string)weekdays["decisionDue"]!);
            Assert.True((bool)weekdays["decisionDueProvisional"]!);
        }

        using var after = new RegistrationApiOnFolder(_folder);
        after.Clock.Now = new DateTimeOffset(2026, 9, 22, 2, 0, 0, TimeSpan.Zero);
        var recounted = await Read(after, id);
        Assert.Equal(onCalendar, (string)recounted["decisionDue"]!);
        Assert.False((bool)recounted["decisionDueProvisional"]!);
    }
}
