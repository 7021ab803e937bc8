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

public sealed record LeadResponse
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

public sealed record AssignInput(Guid? BrokerId);

public static class LeadEndpoints
{
    public static IEndpointRouteBuilder MapLeadEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/leads").WithTags("Leads 线索");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .WithSummary("线索 / Leads: a broker's offered leads; for operators the sub-market's pool");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .WithSummary("线索详情 / A lead: its broker, or the sub-market's operators");
        group.MapPost("/{id:guid}/accept", Accept).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("接受线索，开启交易 / Accept the lead offered to you; a deal opens at stage lead");
        group.MapPost("/{id:guid}/decline", Decline).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("谢绝线索 / Decline: the lead goes to the next broker");
        group.MapPost("/{id:guid}/assign", Assign).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .WithSummary("分派线索 / Operators hand a lead of their sub-market to an active broker");
        return app;
    }

    private static async Task<Ok<Paged<LeadResponse>>> List(HttpContext http, BrokerStores stores, CancellationToken ct,
        string? status, string? subMarket, int? page, int? pageSize)
    {
        var user = MarketUser.Required(http.User);
        var paging = Paging.From(page, pageSize);
        var statusCode = WireCode.Parse<LeadStatus>(status, "status");
        if (subMarket is not null && !ReferenceData.IsSubMarket(subMarket))
            throw ValidationFailedException.For("subMarket", "未知的分市场代码 / Unknown sub-market code.");
        var filters = new List<FieldFilter>();
        if (user.Role == Roles.Broker)
        {
            if (statusCode == LeadStatus.Pooled)
                throw new ForbiddenException("线索池由运营人员分派 / The pool is for operators; brokers see the leads offered to them.");
            filters.Add(FieldFilter.Eq("brokerId", Broker.Brokers.Broker.IdFor(user.Subject).ToString()));
            filters.Add(FieldFilter.Eq("status", WireCode.Of(statusCode ?? LeadStatus.Offered)));
        }
        else
        {
            subMarket = user.OperatorScope(subMarket, "线索");
            if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
            filters.Add(FieldFilter.Eq("status", WireCode.Of(statusCode ?? LeadStatus.Pooled)));
        }
        return TypedResults.Ok(await paging.QueryAsync(stores.Leads, filters, "createdKey", l => LeadResponse.From(l, user), ct));
    }

    private static async Task<Ok<LeadResponse>> Get(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var lead = await stores.LeadAsync(id, ct);
        EnsureCanSee(lead, user);
        return Respond(http, lead, user);
    }

    private static async Task<Created<DealResponse>> Accept(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await ActiveBrokerAsync(stores, user, ct);
        var lead = await stores.Leads.ChangeAsync(t => stores.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l => EnsureOfferedToCaller(l, broker),
            l => { l.Accept(broker.Id, broker.Subject, broker.IsDemo, stores.Now); return Task.CompletedTask; }, ct);
        var deal = await LeadAcceptedConsumer.OpenDealAsync(stores, lead.Accepted(), ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{deal.Id}", DealResponse.From(deal, user));
    }

    private static async Task<Ok<LeadResponse>> Decline(Guid id, ReasonInput? input, HttpContext http, BrokerStores stores, LeadRouter router,
        IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await stores.Brokers.FindAsync(Broker.Brokers.Broker.IdFor(user.Subject).ToString(), ct)
            ?? throw new ForbiddenException("您还没有登记经纪人资料 / You have no broker profile.");
        var lead = await stores.Leads.ChangeAsync(t => stores.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l => EnsureOfferedToCaller(l, broker),
            async l =>
            {
                l.Decline(broker.Id, BrokerRules.OptionalReason(input), stores.Now);
                await router.RouteAsync(l, "system", options.Value.LeadTimeout, ct);
            }, ct);
        return Respond(http, lead, user);
    }

    private static async Task<Ok<LeadResponse>> Assign(Guid id, AssignInput input, HttpContext http, BrokerStores stores,
        IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var lead = await stores.Leads.ChangeAsync(t => stores.LeadAsync(id, t), ETags.OptionalIfMatch(http.Request),
            l =>
            {
                if (!user.IsOperatorOf(l.SubMarket))
                    throw new ForbiddenException($"只能分派本分市场（{user.SubMarket}）的线索 / Operators assign only their own sub-market's leads.");
            },
            async l =>
            {
                if (input.BrokerId is not { } brokerId) throw ValidationFailedException.For("brokerId", "请选择经纪人 / brokerId is required.");
                var broker = await stores.Brokers.FindAsync(brokerId.ToString(), ct);
                if (broker is null || !broker.IsActive || broker.SubMarket != l.SubMarket)
                    throw ValidationFailedException.For("brokerId", "只能分派给本分市场在册的经纪人 / Assign to an active broker of the lead's sub-market.");
                l.OfferTo(broker.Id, user.Subject, options.Value.LeadTimeout, stores.Now);
            }, ct);
        return Respond(http, lead, user);
    }

    internal static async Task<Broker.Brokers.Broker> ActiveBrokerAsync(BrokerStores stores, MarketUser user, CancellationToken ct)
    {
        var broker = await stores.Brokers.FindAsync(Broker.Brokers.Broker.IdFor(user.Subject).ToString(), ct)
            ?? throw new ForbiddenException("您还没有登记经纪人资料 / You have no broker profile.");
        if (!broker.IsActive) throw new ForbiddenException("经纪人资料尚未审核通过或已暂停 / Your broker profile is not active.");
        return broker;
    }

    private static void EnsureOfferedToCaller(Lead lead, Broker.Brokers.Broker broker)
    {
        // a lead offered to someone else is not the caller's business: the same answer whatever its state
        if (!lead.IsOfferedTo(broker.Id) && lead.BrokerId != broker.Id)
            throw new ForbiddenException("该线索未分派给您 / The lead is not offered to you.");
    }

    private static void EnsureCanSee(Lead lead, MarketUser user)
    {
        var mine = user.Role == Roles.Broker && lead.Offers.Any(o => o.BrokerId == Broker.Brokers.Broker.IdFor(user.Subject));
        if (!mine && !user.IsOperatorOf(lead.SubMarket))
            throw new ForbiddenException("该线索未分派给您 / The lead is not yours.");
    }

    private static Ok<LeadResponse> Respond(HttpContext http, Lead lead, MarketUser user)
    {
        http.Response.Headers.ETag = ETags.For(lead.Version);
        return TypedResults.Ok(LeadResponse.From(lead, user));
    }
}
