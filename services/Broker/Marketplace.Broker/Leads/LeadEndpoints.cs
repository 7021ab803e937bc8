using Marketplace.Broker.Brokers;
using Marketplace.Broker.Deals;
using Marketplace.Contracts;
using Marketplace.Contracts.Matching;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.Broker.Leads;

internal sealed record LeadResponse
{
    public required Guid Id { get; init; }
    public required Guid OfferId { get; init; }
    public required Guid DemandId { get; init; }
    public required string Title { get; init; }
    public string? OfferTitle { get; init; }
    public string? DemandTitle { get; init; }
    public required decimal Score { get; init; }
    public required string Field { get; init; }
    public required string SubMarket { get; init; }
    public required string Summary { get; init; }
    public required IReadOnlyList<MatchReason> Reasons { get; init; }
    public required LeadStatus Status { get; init; }
    public Guid? BrokerId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public Guid? DealId { get; init; }
    public required long Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Every broker's turn with the lead, for operators.</summary>
    public IReadOnlyList<LeadOffer>? Offers { get; init; }

    public static LeadResponse From(Lead lead, MarketUser user) => new()
    {
        Id = lead.Id,
        OfferId = lead.OfferId,
        DemandId = lead.DemandId,
        Title = lead.DisplayTitle(),
        OfferTitle = lead.OfferTitle,
        DemandTitle = lead.DemandTitle,
        Score = lead.Score,
        Field = lead.Field,
        SubMarket = lead.SubMarket,
        Summary = lead.Summary,
        Reasons = lead.Reasons,
        Status = lead.Status,
        BrokerId = lead.BrokerId,
        ExpiresAt = lead.ExpiresAt,
        DealId = lead.DealId,
        Version = lead.Version,
        CreatedAt = lead.CreatedAt,
        Offers = user.IsOperatorOf(lead.SubMarket) ? lead.Offers : null,
    };
}

internal static class LeadEndpoints
{
    public static IEndpointRouteBuilder MapLeadEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/leads").WithTags("Leads 线索").ProducesProblems(401, 403);
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .ProducesProblems(400)
            .WithSummary("线索 / Leads: a broker's offered leads; for operators the sub-market's pool");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .ProducesProblems(404)
            .WithSummary("线索详情 / A lead: its broker, or the sub-market's operators");
        group.MapPost("/{id:guid}/accept", Accept).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 404, 409, 412)
            .WithSummary("接受线索，开启交易 / Accept the lead offered to you; a deal opens at stage lead");
        group.MapPost("/{id:guid}/decline", Decline).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("谢绝线索 / Decline: the lead goes to the next broker");
        group.MapPost("/{id:guid}/assign", Assign).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("分派线索 / Operators hand a lead of their sub-market to an active broker");
        return app;
    }

    private static async Task<Ok<Paged<LeadResponse>>> List(MarketUser user, BrokerService service, CancellationToken ct,
        string? status, string? subMarket, int? page, int? pageSize)
    {
        var paging = Paging.From(page, pageSize);
        var filter = LeadRules.Filter(status, subMarket);
        var filters = new List<FieldFilter>();
        if (user.Role == Roles.Broker)
        {
            if (filter.Status == LeadStatus.Pooled)
                throw new ForbiddenException("线索池由运营人员分派 / The pool is for operators; brokers see the leads offered to them.");
            filters.Add(FieldFilter.Eq("brokerId", Brokers.Broker.IdFor(user.Subject).ToString()));
            filters.Add(FieldFilter.Eq("status", WireCode.Of(filter.Status ?? LeadStatus.Offered)));
        }
        else
        {
            if (user.OperatorScope(filter.SubMarket, "线索") is { } scope) filters.Add(FieldFilter.Eq("subMarket", scope));
            filters.Add(FieldFilter.Eq("status", WireCode.Of(filter.Status ?? LeadStatus.Pooled)));
        }
        return TypedResults.Ok(await paging.QueryAsync(service.Leads, filters, "createdKey", l => LeadResponse.From(l, user), ct));
    }

    private static async Task<OkWithETag<LeadResponse>> Get(Guid id, MarketUser user, BrokerService service, CancellationToken ct)
    {
        var lead = await service.LeadAsync(id, ct);
        EnsureCanSee(lead, user);
        return MarketResults.OkWithETag(LeadResponse.From(lead, user), lead.Version);
    }

    private static async Task<Created<DealResponse>> Accept(Guid id, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var broker = await service.ActiveBrokerAsync(user, ct);
        var lead = await service.Leads.ChangeAsync(t => service.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l => EnsureOfferedToCaller(l, broker), l => l.Accept(broker.Id, broker.Subject, broker.IsDemo, service.Now), ct);
        var deal = await service.OpenDealAsync(lead.Accepted(), ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{deal.Id}", DealResponse.From(deal, user));
    }

    private static async Task<OkWithETag<LeadResponse>> Decline(Guid id, ReasonInput? input, MarketUser user, HttpContext http, BrokerService service,
        LeadRouter router, IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var broker = await service.ActingBrokerAsync(user, ct);
        var lead = await service.Leads.ChangeAsync(t => service.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l => EnsureOfferedToCaller(l, broker),
            async l =>
            {
                l.Decline(broker.Id, BrokerRules.OptionalReason(input), service.Now);
                await router.RouteAsync(l, "system", options.Value.LeadTimeout, ct);
            }, ct);
        return MarketResults.OkWithETag(LeadResponse.From(lead, user), lead.Version);
    }

    private static async Task<OkWithETag<LeadResponse>> Assign(Guid id, AssignInput input, MarketUser user, HttpContext http, BrokerService service,
        IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var lead = await service.Leads.ChangeAsync(t => service.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l =>
            {
                if (!user.IsOperatorOf(l.SubMarket))
                    throw new ForbiddenException($"只能分派本分市场（{user.SubMarket}）的线索 / Operators assign only their own sub-market's leads.");
            },
            async l =>
            {
                var broker = await service.AssignableBrokerAsync(LeadRules.BrokerId(input), l.SubMarket, ct);
                l.OfferTo(broker.AsRef(), user.Subject, options.Value.LeadTimeout, service.Now);
            }, ct);
        return MarketResults.OkWithETag(LeadResponse.From(lead, user), lead.Version);
    }

    private static void EnsureOfferedToCaller(Lead lead, Brokers.Broker broker)
    {
        // a lead offered to someone else is not the caller's business: the same answer whatever its state
        if (lead.BrokerId != broker.Id) throw new ForbiddenException("该线索未分派给您 / The lead is not offered to you.");
    }

    private static void EnsureCanSee(Lead lead, MarketUser user)
    {
        var mine = user.Role == Roles.Broker && lead.Offers.Any(o => o.BrokerId == Brokers.Broker.IdFor(user.Subject));
        if (!mine && !user.IsOperatorOf(lead.SubMarket))
            throw new ForbiddenException("该线索未分派给您 / The lead is not yours.");
    }
}
