using System.Net;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;

namespace Marketplace.Portal.Tests;

/// <summary>我要对接 and the interest's own page, against the API's answers.</summary>
public sealed class InterestTests : SignedInTestContext
{
    private static readonly Guid ListingId = Guid.Parse("7a1c0000-0000-0000-0000-0000000000a1");
    private static readonly Guid InterestId = Guid.Parse("1e7e0000-0000-0000-0000-0000000000b2");

    private static ListingView Offer(string owner = "demo-university-org") => new()
    {
        Id = ListingId, Kind = ListingKind.Offer, Status = ListingStatus.Published, OwnerOrg = owner, OwnerOrgName = "湖南示范大学（演示）",
        Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", TransferModes = [TransferMode.ExclusiveLicense, TransferMode.Transfer],
    };

    private static InterestView Interest(InterestStatus status, ListingContact? contact = null, Guid? dealId = null) => new()
    {
        Id = InterestId, Version = 3, ListingId = ListingId, ListingTitle = "耐高温陶瓷涂覆锂电池隔膜制备技术", ListingKind = ListingKind.Offer, Status = status,
        From = new InterestOrg("demo-enterprise-org", "长沙示范智造有限公司（演示）"), To = new InterestOrg("demo-university-org", "湖南示范大学（演示）"),
        Message = "我司拟引进该隔膜技术用于动力电池产线。", Mode = TransferMode.ExclusiveLicense, Budget = 300000m, CreatedAt = DateTimeOffset.UtcNow,
        Contact = contact, DealId = dealId,
    };

    private void NoOpenInterests() => Api.On("GET /api/interests", Page<InterestView>());

    [Fact]
    public void An_interest_the_API_refuses_shows_each_message_next_to_its_field()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.Problem($"POST /api/listings/{ListingId}/interests", HttpStatusCode.BadRequest, "请求参数有误", errors: new()
        {
            ["message"] = ["对接说明至少 2 个字 / message is 2–2000 characters."],
            ["budget"] = ["金额不能为负 / budget may not be negative."],
        });
        var form = Render<InterestForm>(p => p.Add(f => f.ListingId, ListingId).Add(f => f.ListingTitle, "隔膜技术"));
        form.Find("[data-testid=express]").Click();
        form.Find("[data-testid=interest-budget]").Change("-5");
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("对接说明至少 2 个字", form.Find("[data-testid=error-message]").TextContent));
        Assert.Contains("金额不能为负", form.Find("[data-testid=error-budget]").TextContent);
        Assert.Contains("请修改标出的内容", form.Find("[data-testid=problem]").TextContent);
        Assert.Empty(form.FindAll(".portal-problem-list li")); // every message has its field
        Assert.Empty(form.FindAll("[data-testid=interest-link]"));
    }

    [Fact]
    public void A_sent_interest_carries_the_terms_and_links_to_its_page()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"POST /api/listings/{ListingId}/interests", Interest(InterestStatus.Open), HttpStatusCode.Created);
        var form = Render<InterestForm>(p => p.Add(f => f.ListingId, ListingId).Add(f => f.Modes, [TransferMode.ExclusiveLicense]));
        form.Find("[data-testid=express]").Click();
        form.Find("[data-testid=interest-message]").Change(" 我司拟引进该隔膜技术。 ");
        form.Find("[data-testid=interest-mode]").Change("exclusive_license");
        form.Find("[data-testid=interest-budget]").Change("300000");
        form.Find("[data-testid=interest-without-broker]").Change(true);
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Equal($"/interests/{InterestId}", form.Find("[data-testid=interest-link]").GetAttribute("href")));
        var body = JsonNode.Parse(Api.Sent("POST", $"/api/listings/{ListingId}/interests").Single().Body!)!;
        Assert.Equal("我司拟引进该隔膜技术。", (string)body["message"]!);
        Assert.Equal("exclusive_license", (string)body["mode"]!);
        Assert.Equal(300000m, (decimal)body["budget"]!);
        Assert.True((bool)body["withoutBroker"]!);
    }

    [Fact]
    public void A_budget_the_form_cannot_read_is_marked_and_nothing_is_sent()
    {
        SignIn(Roles.University, "demo-university-org");
        var form = Render<InterestForm>(p => p.Add(f => f.ListingId, ListingId));
        form.Find("[data-testid=express]").Click();
        form.Find("[data-testid=interest-message]").Change("希望合作开发");
        form.Find("[data-testid=interest-budget]").Change("三十万");
        form.Find("form").Submit();
        Assert.Contains("请输入金额", form.Find("[data-testid=error-budget]").TextContent);
        Assert.Empty(Api.Sent("POST", "/api/listings"));
    }

    [Fact]
    public void A_refusal_without_a_field_such_as_the_daily_limit_shows_at_the_top_with_when_to_try_again()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"POST /api/listings/{ListingId}/interests", _ =>
        {
            var answer = FakeApi.ProblemAnswer(HttpStatusCode.TooManyRequests, "今日对接意向已达上限", "本单位今日已提交 20 条对接意向，请明日再试 / The daily limit is reached.");
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(3));
            return answer;
        });
        var form = Render<InterestForm>(p => p.Add(f => f.ListingId, ListingId));
        form.Find("[data-testid=express]").Click();
        form.Find("[data-testid=interest-message]").Change("希望对接");
        form.Find("form").Submit();
        form.WaitForAssertion(() => Assert.Contains("本单位今日已提交 20 条对接意向", form.Find("[data-testid=problem-message]").TextContent));
        Assert.Contains("后再提交", form.Find("[data-testid=retry-after]").TextContent);
    }

    [Fact]
    public void The_listings_owner_is_offered_no_interest_button_another_organisation_is()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/listings/{ListingId}", Offer());
        NoOpenInterests();
        var own = Render<ListingDetail>(p => p.Add(d => d.Id, ListingId));
        own.WaitForAssertion(() => Assert.NotEmpty(own.FindAll("[data-testid=listing-title]")));
        Assert.Empty(own.FindAll("[data-testid=express]"));
    }

    [Fact]
    public void An_organisation_with_an_open_interest_sees_the_button_disabled_with_a_note()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"GET /api/listings/{ListingId}", Offer());
        Api.On("GET /api/interests", Page(Interest(InterestStatus.Open)));
        var page = Render<ListingDetail>(p => p.Add(d => d.Id, ListingId));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=interest-open]")));
        Assert.True(page.Find("[data-testid=express]").HasAttribute("disabled"));
        Assert.Equal($"/interests/{InterestId}", page.Find("[data-testid=interest-open] a").GetAttribute("href"));
        Assert.Contains("box=sent&status=open", Api.Sent("GET", "/api/interests").First().PathAndQuery);
    }

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Registrar)]
    public void Roles_that_may_not_send_interests_are_not_offered_the_button(string role)
    {
        SignIn(role, "xiangjiang-operator-org");
        Api.On($"GET /api/listings/{ListingId}", Offer());
        var page = Render<ListingDetail>(p => p.Add(d => d.Id, ListingId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=listing-title]")));
        Assert.Empty(page.FindAll("[data-testid=express]"));
    }

    [Theory]
    [InlineData(Roles.University, "demo-university-org", true)]
    [InlineData(Roles.Enterprise, "demo-enterprise-org", false)]
    [InlineData(Roles.Operator, "xiangjiang-operator-org", false)]
    public void Only_the_listings_owner_is_offered_accept_and_decline(string role, string organisation, bool owner)
    {
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Open), version: 3);
        Api.On($"GET /api/interests/{InterestId}/messages", Page<InterestMessageView>());
        SignIn(role, organisation);
        var page = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=interest-status]")));
        Assert.Equal(owner, page.FindAll("[data-testid=accept]").Count == 1);
        Assert.Equal(owner, page.FindAll("[data-testid=decline]").Count == 1);
        // the sender may withdraw instead; an operator reads only
        Assert.Equal(organisation == "demo-enterprise-org", page.FindAll("[data-testid=withdraw]").Count == 1);
        Assert.Equal(role != Roles.Operator, page.FindAll("[data-testid=message-form]").Count == 1);
    }

    [Fact]
    public void Accepting_asks_first_then_sends_the_version_it_was_shown_and_links_to_the_deal()
    {
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Open), version: 3);
        Api.On($"GET /api/interests/{InterestId}/messages", Page<InterestMessageView>());
        var dealId = Guid.NewGuid();
        Api.On($"POST /api/interests/{InterestId}/accept", Interest(InterestStatus.Accepted, dealId: dealId) with { Version = 4 }, version: 4);
        SignIn(Roles.University, "demo-university-org");
        var owner = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        owner.WaitForAssertion(() => owner.Find("[data-testid=accept]").Click());
        Assert.Empty(Api.Sent("POST", "/api/interests")); // nothing is sent before the confirmation
        owner.Find("[data-testid=accept-without-broker]").Change(true);
        owner.Find("[data-testid=accept-confirmed]").Click();

        owner.WaitForAssertion(() => Assert.Contains("已接受", owner.Find("[data-testid=interest-status]").TextContent));
        var accept = Api.Sent("POST", $"/api/interests/{InterestId}/accept").Single();
        Assert.Equal("\"3\"", accept.IfMatch);
        Assert.True((bool)JsonNode.Parse(accept.Body!)!["withoutBroker"]!);
        Assert.Equal($"/deals/{dealId}", owner.Find("[data-testid=deal-link]").GetAttribute("href"));
        Assert.Empty(owner.FindAll("[data-testid=accept]"));
    }

    [Fact]
    public void The_sender_sees_the_listings_contact_only_once_the_interest_is_accepted()
    {
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Open), version: 3);
        Api.On($"GET /api/interests/{InterestId}/messages", Page<InterestMessageView>());
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var open = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        open.WaitForAssertion(() => Assert.NotNull(open.Find("[data-testid=withdraw]")));
        Assert.Empty(open.FindAll("[data-testid=interest-contact]"));
        Assert.Empty(open.FindAll("[data-testid=accepted]"));

        var dealId = Guid.NewGuid();
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Accepted, new ListingContact("李老师", "0731-88881234", "tto@example.edu.cn"), dealId), version: 4);
        var accepted = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        accepted.WaitForAssertion(() => Assert.Contains("0731-88881234", accepted.Find("[data-testid=interest-contact]").TextContent));
        Assert.Contains("李老师", accepted.Find("[data-testid=interest-contact]").TextContent);
        Assert.Contains("tto@example.edu.cn", accepted.Find("[data-testid=interest-contact]").TextContent);
        Assert.Empty(accepted.FindAll("[data-testid=withdraw]"));
        Assert.Equal($"/deals/{dealId}", accepted.Find("[data-testid=deal-link]").GetAttribute("href"));
    }

    [Fact]
    public void The_deals_broker_follows_the_deal_on_the_brokers_own_page()
    {
        var dealId = Guid.NewGuid();
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Accepted, dealId: dealId) with { BrokerSubject = "demo-broker" }, version: 4);
        Api.On($"GET /api/interests/{InterestId}/messages", Page<InterestMessageView>());
        SignIn(Roles.Broker, "demo-broker-org", subject: "demo-broker");
        var page = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        page.WaitForAssertion(() => Assert.Equal($"/broker/deals/{dealId}", page.Find("[data-testid=deal-link]").GetAttribute("href")));
        Assert.Empty(page.FindAll("[data-testid=interest-contact]"));
        Assert.NotEmpty(page.FindAll("[data-testid=message-form]")); // the deal's broker takes part in the thread
    }

    [Fact]
    public void Declining_asks_for_the_reason_and_the_APIs_message_shows_next_to_it()
    {
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Open), version: 3);
        Api.On($"GET /api/interests/{InterestId}/messages", Page<InterestMessageView>());
        Api.Problem($"POST /api/interests/{InterestId}/decline", HttpStatusCode.BadRequest, "请求参数有误",
            errors: new() { ["reason"] = ["拒绝理由为 2–500 字 / reason is 2–500 characters."] });
        SignIn(Roles.University, "demo-university-org");
        var owner = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        owner.WaitForAssertion(() => owner.Find("[data-testid=decline]").Click());
        owner.Find("[data-testid=decline-reason]").Change("否");
        owner.Find("[data-testid=decline-confirmed]").Click();
        owner.WaitForAssertion(() => Assert.Contains("拒绝理由为 2–500 字", owner.Find("[data-testid=error-reason]").TextContent));
        Assert.Equal("否", (string)JsonNode.Parse(Api.Sent("POST", $"/api/interests/{InterestId}/decline").Single().Body!)!["reason"]!);
    }

    [Fact]
    public void The_thread_shows_the_messages_and_a_new_one_is_posted()
    {
        Api.On($"GET /api/interests/{InterestId}", Interest(InterestStatus.Open), version: 3);
        Api.On($"GET /api/interests/{InterestId}/messages", Page(new InterestMessageView(Guid.NewGuid(),
            new MessageAuthor("demo-university", "李老师", "demo-university-org"), "欢迎来校考察中试线。", DateTimeOffset.UtcNow)));
        Api.On($"POST /api/interests/{InterestId}/messages", new InterestMessageView(Guid.NewGuid(),
            new MessageAuthor("demo-enterprise", "王经理", "demo-enterprise-org"), "下周二到访。", DateTimeOffset.UtcNow), HttpStatusCode.Created);
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var page = Render<InterestDetail>(p => p.Add(d => d.Id, InterestId));
        page.WaitForAssertion(() => Assert.Contains("欢迎来校考察中试线", page.Find("[data-testid=message]").TextContent));
        Assert.Contains("湖南示范大学", page.Find("[data-testid=message]").TextContent);
        page.Find("[data-testid=message-text]").Change("下周二到访。");
        page.Find("[data-testid=message-form]").Submit();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", $"/api/interests/{InterestId}/messages")));
        Assert.Equal("下周二到访。", (string)JsonNode.Parse(Api.Sent("POST", $"/api/interests/{InterestId}/messages").Single().Body!)!["text"]!);
    }
}
