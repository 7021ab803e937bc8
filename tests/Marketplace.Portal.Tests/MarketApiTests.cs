using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Portal.Tests;

/// <summary>The portal's calls to the API name the visitor they are made for.</summary>
public sealed class MarketApiTests
{
    private sealed class Anonymous : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private sealed class Recording : HttpMessageHandler
    {
        public List<string?> ForwardedFor { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ForwardedFor.Add(request.Headers.TryGetValues("X-Forwarded-For", out var values) ? values.Single() : null);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }

    [Fact]
    public async Task An_anonymous_visitors_calls_carry_their_address_so_the_API_limits_them_and_not_the_portal()
    {
        var handler = new Recording();
        var visitor = new PortalVisitor(new HttpContextAccessor()) { Address = "203.0.113.9" };
        var api = new MarketApi(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080") }, new Anonymous(), visitor);
        await api.GetAsync<object>("/api/search?q=电池");
        Assert.Equal("203.0.113.9", Assert.Single(handler.ForwardedFor));
    }

    [Fact]
    public async Task The_address_comes_from_the_request_when_no_page_named_one()
    {
        var handler = new Recording();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.4");
        var api = new MarketApi(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080") }, new Anonymous(),
            new PortalVisitor(new HttpContextAccessor { HttpContext = context }));
        await api.GetAsync<object>("/api/search?q=电池");
        Assert.Equal("198.51.100.4", Assert.Single(handler.ForwardedFor));
    }

    private static MarketApi Over(FakeApi api) =>
        new(new HttpClient(api) { BaseAddress = new Uri("http://127.0.0.1:8080") }, new Anonymous(), new PortalVisitor(new HttpContextAccessor()));

    [Fact]
    public async Task An_interest_goes_out_with_the_APIs_field_names_and_codes()
    {
        var api = new FakeApi().On("POST /api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", new { }, HttpStatusCode.Created);
        await Over(api).SendAsync<InterestView>(HttpMethod.Post, "/api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests",
            new InterestRequest("希望独占许可", TransferMode.ExclusiveLicense, 300000m, true));
        var body = JsonNode.Parse(api.Requests.Single().Body!)!.AsObject();
        Assert.Equal(["message", "mode", "budget", "withoutBroker"], body.Select(p => p.Key));
        Assert.Equal("exclusive_license", (string)body["mode"]!);

        // no mode and no budget: not sent at all (the API reads them as "none")
        await Over(api).SendAsync<InterestView>(HttpMethod.Post, "/api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", new InterestRequest("面谈", null, null, false));
        Assert.Equal(["message", "withoutBroker"], JsonNode.Parse(api.Requests.Last().Body!)!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_upload_tells_the_bytes_sent_as_they_go_and_reads_the_files_answer()
    {
        const string answer = """
            {"id":"f0000000-0000-0000-0000-0000000000f1","kind":"patent_certificate","name":"专利证书.pdf","contentType":"application/pdf",
             "size":300000,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","uploadedAt":"2026-12-01T12:00:00+00:00","uploadedBy":"王老师"}
            """;
        var api = new FakeApi().On("POST /api/listings/7a1c0000-0000-0000-0000-0000000000a1/attachments", _ =>
            new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(answer, System.Text.Encoding.UTF8, "application/json") });
        var sent = new List<long>();
        using var file = new MemoryStream(new byte[300_000]);

        var result = await Over(api).UploadAsync("/api/listings/7a1c0000-0000-0000-0000-0000000000a1/attachments", FileKind.PatentCertificate,
            "专利证书.pdf", "application/pdf", file, sent.Add);

        Assert.True(sent.Count > 1, "the count is told as the bytes go, not once at the end");
        Assert.Equal(300_000, sent[^1]);
        Assert.Equal(sent.Order(), sent);
        var view = result.Value!;
        Assert.Equal(FileKind.PatentCertificate, view.Kind);
        Assert.Equal("王老师", view.UploadedBy);
        Assert.Equal(300_000, view.Size);
        Assert.Contains("patent_certificate", api.Requests.Single().Body);
    }

    [Fact]
    public async Task An_interest_as_the_listing_service_writes_it_reads_into_the_portals_record()
    {
        const string answer = """
            {"id":"1e7e0000-0000-0000-0000-0000000000b2","version":4,"listingId":"7a1c0000-0000-0000-0000-0000000000a1","listingTitle":"隔膜技术",
             "listingKind":"offer","subMarket":"changsha","status":"accepted","from":{"id":"demo-enterprise-org","name":"长沙示范智造有限公司（演示）"},
             "to":{"id":"demo-university-org","name":"湖南示范大学（演示）"},"message":"希望对接","mode":"sole_license","budget":250000.50,
             "withoutBroker":false,"ownerWithoutBroker":true,"messages":2,"dealId":"0d6f3c52-0000-0000-0000-0000000000d1","brokerSubject":"demo-broker",
             "createdAt":"2026-05-01T01:00:00+00:00","decidedAt":"2026-05-01T02:00:00+00:00","contact":{"name":"李老师","phone":"0731-88881234","email":"tto@example.edu.cn"}}
            """;
        var api = new FakeApi().On("GET /api/interests/1e7e0000-0000-0000-0000-0000000000b2", _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(answer, System.Text.Encoding.UTF8, "application/json"),
            Headers = { ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"4\"") },
        });
        var read = await Over(api).GetAsync<InterestView>("/api/interests/1e7e0000-0000-0000-0000-0000000000b2");
        var interest = read.Value!;
        Assert.Equal(4, read.Version);
        Assert.Equal(InterestStatus.Accepted, interest.Status);
        Assert.Equal(TransferMode.SoleLicense, interest.Mode);
        Assert.Equal(250000.50m, interest.Budget);
        Assert.Equal("demo-enterprise-org", interest.From.Id);
        Assert.Equal("湖南示范大学（演示）", interest.To.Name);
        Assert.Equal(2, interest.Messages);
        Assert.Equal("0731-88881234", interest.Contact!.Phone);
        Assert.Equal("demo-broker", interest.BrokerSubject);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "本单位已对该信息提交过对接意向，请等待答复")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "不能对本单位的信息提交对接意向")]
    [InlineData(HttpStatusCode.Forbidden, "只有企业、高校院所和技术经纪人可以提交对接意向")]
    public async Task A_refused_interest_becomes_a_problem_that_says_why_in_Chinese(HttpStatusCode status, string detail)
    {
        var api = new FakeApi().Problem("POST /api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", status, "对接意向被拒绝", detail);
        var result = await Over(api).SendAsync<InterestView>(HttpMethod.Post, "/api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", new InterestRequest("希望对接", null, null, false));
        Assert.False(result.Ok);
        Assert.Equal((int)status, result.Problem!.Status);
        Assert.Equal(detail, result.Problem.Message);
        Assert.False(result.Problem.CanRetry);
    }

    [Fact]
    public async Task The_daily_limit_says_when_another_interest_may_be_sent()
    {
        var api = new FakeApi().On("POST /api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", _ =>
        {
            var answer = FakeApi.ProblemAnswer(HttpStatusCode.TooManyRequests, "今日对接意向已达上限", "请明日再试");
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5400));
            return answer;
        });
        var result = await Over(api).SendAsync<InterestView>(HttpMethod.Post, "/api/listings/7a1c0000-0000-0000-0000-0000000000a1/interests", new InterestRequest("希望对接", null, null, false));
        Assert.Equal(429, result.Problem!.Status);
        Assert.Equal(TimeSpan.FromMinutes(90), result.Problem.RetryAfter);
        Assert.Equal("请明日再试", result.Problem.Message);
    }

    [Fact]
    public async Task Notifications_read_with_their_kinds_and_the_unread_count()
    {
        const string answer = """
            {"items":[{"id":"5e000000-0000-0000-0000-000000000001","kind":"interest_received","title":"收到对接意向","body":"长沙示范智造有限公司提交了对接意向。",
              "link":"/interests/1e7e0000-0000-0000-0000-0000000000b2","read":false,"createdAt":"2026-05-01T01:00:00+00:00"},
              {"id":"5e000000-0000-0000-0000-000000000002","kind":"deal_stage_changed","title":"交易阶段变化","body":"交易进入洽谈中。",
              "link":"/deals/0d6f3c52-0000-0000-0000-0000000000d1","read":true,"createdAt":"2026-05-01T00:00:00+00:00","readAt":"2026-05-01T00:30:00+00:00"}],
             "total":2,"page":1,"pageSize":20,"unread":1}
            """;
        var api = new FakeApi()
            .On("GET /api/notifications?page=1&pageSize=20", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, System.Text.Encoding.UTF8, "application/json") })
            .On("GET /api/notifications/unread", new { unread = 7 })
            .On("GET /api/notifications/settings", _ => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"email":"wang@example.cn","customEmail":true,"emailKinds":{"interest_received":true,"lead_offered":false},"mailEnabled":true}""",
                    System.Text.Encoding.UTF8, "application/json"),
            });
        var market = Over(api);
        var page = (await market.GetAsync<NotificationPage>(PagedList<NotificationView>.PathOf("/api/notifications", 1, 20))).Value!;
        Assert.Equal([NotificationKind.InterestReceived, NotificationKind.DealStageChanged], page.Items.Select(n => n.Kind));
        Assert.Equal(1, page.Unread);
        Assert.False(page.Items[0].Read);
        Assert.Equal("/interests/1e7e0000-0000-0000-0000-0000000000b2", page.Items[0].Link);
        Assert.Equal(7, (await market.GetAsync<UnreadCount>("/api/notifications/unread")).Value!.Unread);
        var settings = (await market.GetAsync<NotificationSettingsView>("/api/notifications/settings")).Value!;
        Assert.True(settings.EmailKinds["interest_received"]);
        Assert.True(settings.CustomEmail);
    }

    [Fact]
    public async Task Settings_go_out_keyed_by_the_kinds_wire_codes_with_the_version_they_were_read_at()
    {
        var api = new FakeApi().On("PUT /api/notifications/settings", new { }, version: 8);
        await Over(api).SendAsync<NotificationSettingsView>(HttpMethod.Put, "/api/notifications/settings",
            new NotificationSettingsRequest("", new Dictionary<string, bool> { [Wire.Of(NotificationKind.InterestAccepted)] = true, [Wire.Of(NotificationKind.LeadMovedOn)] = false }), ifMatch: 7);
        var sent = api.Requests.Single();
        Assert.Equal("\"7\"", sent.IfMatch);
        var kinds = JsonNode.Parse(sent.Body!)!["emailKinds"]!.AsObject();
        Assert.Equal(["interest_accepted", "lead_moved_on"], kinds.Select(k => k.Key));
        Assert.Equal("", (string)JsonNode.Parse(sent.Body!)!["email"]!);
    }

    [Fact]
    public void A_funnel_as_the_listing_service_writes_it_reads_into_the_portals_record()
    {
        const string answer = """
            {"subMarkets":[{"subMarket":"changsha","interests":8,"accepted":2,"deals":2,"registered":1,"introductionRate":0.25}],
             "totals":{"interests":8,"accepted":2,"deals":2,"registered":1,"introductionRate":0.25}}
            """;
        var funnel = System.Text.Json.JsonSerializer.Deserialize<FunnelView>(answer, MarketApi.Json)!;
        Assert.Equal("changsha", Assert.Single(funnel.SubMarkets).SubMarket);
        Assert.Null(funnel.Totals.SubMarket);
        Assert.Equal(0.25m, funnel.Totals.IntroductionRate);
        Assert.Equal(1, funnel.SubMarkets[0].Registered);
    }
}
