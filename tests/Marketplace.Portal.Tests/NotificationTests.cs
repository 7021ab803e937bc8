using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;
using Marketplace.Portal.Components.Shell;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>The bell in the header, the notifications page and the mail settings, against the API's answers.</summary>
public sealed partial class NotificationTests : SignedInTestContext
{
    private readonly ManualTime _time = new();
    private long _unread;

    public NotificationTests() => Services.AddSingleton<TimeProvider>(_time);

    private void CountIs(long unread) => Interlocked.Exchange(ref _unread, unread);

    private int Asked => Api.Sent("GET", "/api/notifications/unread").Count();

    private IRenderedComponent<NotificationBell> Bell()
    {
        Api.On("GET /api/notifications/unread", _ => FakeApi.Json(new UnreadCount(Interlocked.Read(ref _unread))));
        return Render<NotificationBell>();
    }

    /// <summary>The next moment the bell asks: the clock moves one interval, and the bell's question arrives.</summary>
    private void NextAsk(IRenderedComponent<NotificationBell> bell)
    {
        var asked = Asked;
        bell.WaitForAssertion(() => Assert.NotEmpty(_time.Timers)); // the bell waits on its timer
        _time.Advance(NotificationBell.Interval);
        bell.WaitForAssertion(() => Assert.True(Asked > asked));
    }

    private static string Shown(IRenderedComponent<NotificationBell> bell) => bell.Find("[data-testid=bell]").GetAttribute("data-unread")!;

    [Fact]
    public void The_bell_shows_the_unread_count_and_follows_it_without_a_reload()
    {
        SignIn(Roles.University, "demo-university-org");
        CountIs(2);
        var bell = Bell();
        bell.WaitForAssertion(() => Assert.Equal("2", Shown(bell)));
        Assert.Contains("2 条未读", bell.Find("[data-testid=bell]").GetAttribute("aria-label"));
        Assert.Equal("2", bell.Find(".ant-badge-count").GetAttribute("title")); // Ant Design's badge shows the number
        Assert.Equal("/notifications", bell.Find("[data-testid=bell]").GetAttribute("href"));

        CountIs(3); // a new interest arrives: nothing on the page is touched
        NextAsk(bell);
        bell.WaitForAssertion(() => Assert.Equal("3", Shown(bell)));
        Assert.Contains("3 条未读", bell.Find("[data-testid=bell]").GetAttribute("aria-label"));
        Assert.Equal("3", bell.Find(".ant-badge-count").GetAttribute("title"));

        CountIs(0);
        NextAsk(bell);
        bell.WaitForAssertion(() => Assert.Equal("0", Shown(bell)));
        Assert.Contains("没有未读", bell.Find("[data-testid=bell]").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_failed_ask_keeps_the_last_count_and_the_bell_carries_on()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        CountIs(4);
        var bell = Bell();
        bell.WaitForAssertion(() => Assert.Equal("4", Shown(bell)));

        Api.Problem("GET /api/notifications/unread", HttpStatusCode.ServiceUnavailable, "服务暂不可用");
        NextAsk(bell);
        NextAsk(bell);
        Assert.Equal("4", Shown(bell));
        Assert.Empty(bell.FindAll("[data-testid=problem]")); // the page is not bothered with it

        CountIs(5);
        Api.On("GET /api/notifications/unread", _ => FakeApi.Json(new UnreadCount(Interlocked.Read(ref _unread))));
        NextAsk(bell);
        bell.WaitForAssertion(() => Assert.Equal("5", Shown(bell)));
    }

    [Fact]
    public void The_bell_stops_asking_once_the_session_has_ended()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        CountIs(1);
        var bell = Bell();
        bell.WaitForAssertion(() => Assert.Equal("1", Shown(bell)));

        Api.Problem("GET /api/notifications/unread", HttpStatusCode.Unauthorized, "未登录或登录已过期");
        NextAsk(bell);
        // its timer is gone: however long the page stays open, it asks no more
        bell.WaitForAssertion(() => Assert.True(Assert.Single(_time.Timers).Disposed));
        var stoppedAt = Asked;
        _time.Advance(NotificationBell.Interval * 10);
        Assert.Equal(stoppedAt, Asked);
        Assert.Equal("1", Shown(bell));
    }

    [Fact]
    public void Opening_a_notification_marks_it_read_and_goes_to_its_page()
    {
        SignIn(Roles.University, "demo-university-org");
        var unread = new NotificationView
        {
            Id = Guid.NewGuid(), Kind = NotificationKind.InterestReceived, Title = "收到对接意向", Body = "长沙示范智造有限公司对“隔膜技术”提交了对接意向。",
            Link = "/interests/1e7e0000-0000-0000-0000-0000000000b2", CreatedAt = DateTimeOffset.UtcNow,
        };
        var read = unread with { Id = Guid.NewGuid(), Kind = NotificationKind.ListingApproved, Title = "信息审核通过", Link = "/listings/7a1c0000-0000-0000-0000-0000000000a1", Read = true };
        Api.On("GET /api/notifications", new NotificationPage { Items = [unread, read], Total = 2, Page = 1, PageSize = 20, Unread = 1 });
        Api.On($"POST /api/notifications/{unread.Id}/read", unread with { Read = true });
        var page = Render<Notifications>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification]").Count));
        var rows = page.FindAll("[data-testid=notification]");
        Assert.Equal("false", rows[0].GetAttribute("data-read"));
        Assert.Contains("未读", rows[0].TextContent);
        Assert.Equal("true", rows[1].GetAttribute("data-read"));
        Assert.Contains("收到对接意向", rows[0].TextContent);

        page.FindAll("[data-testid=notification-open]")[0].Click();
        page.WaitForAssertion(() => Assert.EndsWith(unread.Link, Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri));
        Assert.Single(Api.Sent("POST", $"/api/notifications/{unread.Id}/read"));
    }

    [Fact]
    public void Marking_all_read_says_how_many_were_marked()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("GET /api/notifications", new NotificationPage { Total = 0, Page = 1, PageSize = 20 });
        Api.On("POST /api/notifications/read-all", new MarkedRead(3));
        var page = Render<Notifications>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=list-empty]")));
        page.Find("[data-testid=read-all]").Click();
        page.WaitForAssertion(() => Assert.Contains("已将 3 条通知标为已读", page.Find("[data-testid=notice]").TextContent));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [Fact]
    public void The_settings_name_every_kind_of_notification_in_Chinese()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var kinds = Enum.GetValues<NotificationKind>().ToDictionary(Wire.Of, k => k == NotificationKind.InterestReceived);
        Api.On("GET /api/notifications/settings", new NotificationSettingsView { Email = "wang@example.cn", CustomEmail = true, EmailKinds = kinds, MailEnabled = true }, version: 7);
        var page = Render<NotificationSettings>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=settings-form]")));

        var labels = page.FindAll("[data-testid=kinds] label");
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, labels.Count);
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            var label = page.Find($"[data-testid=kind-{Wire.Of(kind)}]").ParentElement!.TextContent.Trim();
            Assert.Matches(Chinese(), label);
            Assert.DoesNotContain("_", label);
            Assert.Equal(label, Labels.NotificationKind(kind));
        }
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, Enum.GetValues<NotificationKind>().Select(Labels.NotificationKind).Distinct().Count());
        Assert.True(page.Find("[data-testid=kind-interest_received]").HasAttribute("checked"));
        Assert.False(page.Find("[data-testid=kind-deal_stage_changed]").HasAttribute("checked"));
    }

    [Fact]
    public void Saving_the_settings_sends_the_version_they_were_read_at_and_the_APIs_message_shows_next_to_the_email()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var kinds = Enum.GetValues<NotificationKind>().ToDictionary(Wire.Of, _ => false);
        Api.On("GET /api/notifications/settings", new NotificationSettingsView { Email = "account@example.cn", EmailKinds = kinds }, version: 7);
        Api.Problem("PUT /api/notifications/settings", HttpStatusCode.BadRequest, "请求参数有误",
            errors: new() { ["email"] = ["邮箱格式不正确，如 name@example.cn / email is not an e-mail address."] });
        var page = Render<NotificationSettings>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=settings-form]")));
        Assert.Equal("", page.Find("[data-testid=settings-email]").GetAttribute("value") ?? ""); // the account's address is not made a choice
        Assert.Contains("account@example.cn", page.Find("[data-field=email]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=mail-disabled]"));

        page.Find("[data-testid=settings-email]").Change("wang-at-example");
        page.Find("[data-testid=kind-interest_accepted]").Change(true);
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("邮箱格式不正确", page.Find("[data-testid=error-email]").TextContent));
        var put = Api.Sent("PUT", "/api/notifications/settings").Single();
        Assert.Equal("\"7\"", put.IfMatch);
        var body = JsonNode.Parse(put.Body!)!;
        Assert.Equal("wang-at-example", (string)body["email"]!);
        Assert.True((bool)body["emailKinds"]!["interest_accepted"]!);
        Assert.False((bool)body["emailKinds"]!["interest_received"]!);
    }
}
