using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>The deal board's card: one stage at a time, with what each stage needs, against a recorded API.</summary>
public sealed class DealCardTests : PortalTestContext
{
    private readonly RecordingApi _api = new();

    public DealCardTests()
    {
        Services.AddSingleton<AuthenticationStateProvider>(new SignedIn());
        Services.AddSingleton(sp => new MarketApi(new HttpClient(_api) { BaseAddress = new Uri("http://market.test") }, sp.GetRequiredService<AuthenticationStateProvider>(),
            new PortalVisitor(new Microsoft.AspNetCore.Http.HttpContextAccessor())));
    }

    private static DealView Deal(DealStage stage, DealStage? next, long version = 4, bool withBroker = true) => new()
    {
        Id = Guid.Parse("0d6f3c52-0000-0000-0000-000000000001"), Title = "隔膜技术许可", Field = "new-energy", SubMarket = "changsha",
        Stage = stage, NextStage = next, Version = version, BrokerId = withBroker ? Guid.Parse("b0000000-0000-0000-0000-000000000001") : null,
    };

    /// <summary>The API's answer for a deal, as the broker service writes it.</summary>
    private static string Answer(DealView deal) => JsonSerializer.Serialize(deal, MarketApi.Json);

    [Fact]
    public void Advancing_sends_the_next_stage_with_the_version_it_was_shown_at()
    {
        _api.Answer = (HttpStatusCode.OK, Answer(Deal(DealStage.Contacted, DealStage.Negotiating, 5)));
        DealView? moved = null;
        var card = Render<DealCard>(p => p.Add(c => c.Deal, Deal(DealStage.Lead, DealStage.Contacted)).Add(c => c.OnChanged, (DealView? d) => moved = d));
        card.Find("[data-testid=advance]").Click();

        card.WaitForAssertion(() => Assert.NotNull(moved));
        var (method, path, ifMatch, body, token) = Assert.Single(_api.Requests);
        Assert.Equal("POST /api/deals/0d6f3c52-0000-0000-0000-000000000001/stage", $"{method} {path}");
        Assert.Equal("\"4\"", ifMatch);
        Assert.Equal("contacted", (string)JsonNode.Parse(body!)!["to"]!);
        Assert.Equal("token-of-demo-broker", token);
        Assert.Equal(DealStage.Negotiating, moved!.NextStage);
    }

    [Fact]
    public void Agreeing_carries_the_commission_and_the_APIs_reason_shows_next_to_it()
    {
        _api.Answer = (HttpStatusCode.BadRequest,
            """{"title":"请求参数有误","status":400,"errors":{"commission.percent":["佣金比例须在 0–100 之间 / percent is 0–100."]}}""");
        var card = Render<DealCard>(p => p.Add(c => c.Deal, Deal(DealStage.Negotiating, DealStage.Agreed)));
        card.Find("[data-testid=commission-value]").Change("150");
        card.Find("[data-testid=advance]").Click();

        card.WaitForAssertion(() => Assert.Contains("佣金比例须在 0–100 之间", card.Find("[data-testid=error-commission]").TextContent));
        var commission = JsonNode.Parse(_api.Requests.Single().Body!)!["commission"]!;
        Assert.Equal("percentage", (string)commission["kind"]!);
        Assert.Equal(150m, (decimal)commission["percent"]!);
    }

    [Fact]
    public void A_stale_board_says_so_and_closing_asks_for_the_amount()
    {
        _api.Answer = (HttpStatusCode.PreconditionFailed, """{"title":"版本已变化","status":412}""");
        var card = Render<DealCard>(p => p.Add(c => c.Deal, Deal(DealStage.ContractSigned, DealStage.Closed)));
        card.Find("[data-testid=amount]").Change("1200000");
        card.Find("[data-testid=advance]").Click();
        card.WaitForAssertion(() => Assert.Contains("已被他人修改", card.Markup));
        Assert.NotEmpty(card.FindAll("[data-testid=reload]"));
        Assert.Equal(1200000m, (decimal)JsonNode.Parse(_api.Requests.Single().Body!)!["amount"]!);
    }

    [Fact]
    public void A_deal_without_a_broker_is_agreed_without_any_commission()
    {
        _api.Answer = (HttpStatusCode.OK, Answer(Deal(DealStage.Agreed, DealStage.ContractSigned, 5, withBroker: false)));
        DealView? moved = null;
        var card = Render<DealCard>(p => p.Add(c => c.Deal, Deal(DealStage.Negotiating, DealStage.Agreed, withBroker: false)).Add(c => c.OnChanged, (DealView? d) => moved = d));
        Assert.Empty(card.FindAll("[data-testid=commission-value]"));
        card.Find("[data-testid=advance]").Click();

        card.WaitForAssertion(() => Assert.NotNull(moved));
        var body = JsonNode.Parse(_api.Requests.Single().Body!)!;
        Assert.Equal("agreed", (string)body["to"]!);
        Assert.Null(body["commission"]);
    }

    [Fact]
    public void A_deal_waiting_for_its_registration_offers_no_button_for_it()
    {
        var card = Render<DealCard>(p => p.Add(c => c.Deal, Deal(DealStage.ContractSigned, null)));
        Assert.Empty(card.FindAll("[data-testid=advance]"));
        Assert.NotEmpty(card.FindAll("[data-testid=awaiting-registration]"));
    }

    private sealed class SignedIn : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(PortalClaims.AccessToken, "token-of-demo-broker"), new Claim("role", "broker")], "test"))));
    }

    private sealed class RecordingApi : HttpMessageHandler
    {
        public (HttpStatusCode Status, string Body) Answer { get; set; } = (HttpStatusCode.OK, "{}");
        public List<(string Method, string Path, string? IfMatch, string? Body, string? Token)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Method.Method, request.RequestUri!.AbsolutePath, request.Headers.TryGetValues("If-Match", out var v) ? v.Single() : null,
                request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken), request.Headers.Authorization?.Parameter));
            return new HttpResponseMessage(Answer.Status)
            {
                Content = new StringContent(Answer.Body, Encoding.UTF8, (int)Answer.Status >= 400 ? "application/problem+json" : "application/json"),
            };
        }
    }
}
