using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Broker.Deals;

internal sealed record DealResponse
{
    public required Guid Id { get; init; }
    public required Guid BrokerId { get; init; }
    public Guid? OfferId { get; init; }
    public Guid? DemandId { get; init; }
    public Guid? LeadId { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public required DealStage Stage { get; init; }
    /// <summary>The stage a broker can move to next (null once the deal has ended or waits for registration).</summary>
    public DealStage? NextStage { get; init; }
    public CommissionTerms? Commission { get; init; }
    public decimal? Amount { get; init; }
    public decimal? CommissionAmount { get; init; }
    public string? LostReason { get; init; }
    public RegisteredContract? Contract { get; init; }
    public bool IsDemo { get; init; }
    public required long Version { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public required IReadOnlyList<DealChange> History { get; init; }
    public required IReadOnlyList<DealNote> Notes { get; init; }

    public static DealResponse From(Deal deal, MarketUser user) => new()
    {
        Id = deal.Id,
        BrokerId = deal.BrokerId,
        OfferId = deal.OfferId,
        DemandId = deal.DemandId,
        LeadId = deal.LeadId,
        Title = deal.Title,
        SubMarket = deal.SubMarket,
        Field = deal.Field,
        Stage = deal.Stage,
        NextStage = deal.IsOpen && Deal.Next(deal.Stage) is var next && next != DealStage.Registered ? next : null,
        Commission = deal.Commission,
        Amount = deal.Amount,
        CommissionAmount = deal.CommissionAmount,
        LostReason = deal.LostReason,
        Contract = deal.Contract,
        IsDemo = deal.IsDemo,
        Version = deal.Version,
        OpenedAt = deal.OpenedAt,
        UpdatedAt = deal.UpdatedAt,
        EndedAt = deal.EndedAt,
        History = deal.History,
        Notes = deal.Notes,
    };
}

internal static class DealEndpoints
{
    public static IEndpointRouteBuilder MapDealEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deals").WithTags("Deals 交易").ProducesProblems(401, 403);
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 409, 413, 415, 422)
            .WithSummary("开启交易 / Open a deal (a party may have no listing)");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .ProducesProblems(400)
            .WithSummary("交易列表 / Deals: a broker's own (mine=true), or the sub-market's for operators");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .ProducesProblems(404)
            .WithSummary("交易详情 / A deal: its broker and the sub-market's operators");
        group.MapPost("/{id:guid}/stage", Move).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 404, 409, 412, 413, 415, 428)
            .WithSummary("推进阶段（需 If-Match）/ Move the deal one stage on, or to lost");
        group.MapPost("/{id:guid}/notes", AddNote).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("添加跟进记录 / Add a note");
        return app;
    }

    private static async Task<Created<DealResponse>> Create(DealInput input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var deal = await service.OpenDealAsync(user, input, http, ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{deal.Id}", DealResponse.From(deal, user));
    }

    private static async Task<Ok<Paged<DealResponse>>> List(MarketUser user, BrokerService service, CancellationToken ct,
        bool? mine, string? stage, string? subMarket, int? page, int? pageSize)
    {
        var paging = Paging.From(page, pageSize);
        var filter = DealRules.Filter(stage, subMarket);
        var scope = filter.SubMarket;
        var filters = new List<FieldFilter>();
        if (user.Role == Roles.Broker)
        {
            if (mine == false) throw new ForbiddenException("经纪人只能查看自己的交易 / Brokers list their own deals (mine=true).");
            filters.Add(FieldFilter.Eq("brokerSubject", user.Subject));
        }
        else
        {
            if (mine == true) throw ValidationFailedException.For("mine", "运营人员没有自己的交易 / Operators have no deals of their own.");
            scope = user.OperatorScope(scope, "交易");
        }
        if (scope is not null) filters.Add(FieldFilter.Eq("subMarket", scope));
        if (filter.Stage is { } s) filters.Add(FieldFilter.Eq("stage", WireCode.Of(s)));
        return TypedResults.Ok(await paging.QueryAsync(service.Deals, filters, "updatedAt", d => DealResponse.From(d, user), ct));
    }

    private static async Task<OkWithETag<DealResponse>> Get(Guid id, MarketUser user, BrokerService service, CancellationToken ct)
    {
        var deal = await service.DealAsync(id, ct);
        if (!IsDealBroker(deal, user) && !user.IsOperatorOf(deal.SubMarket))
            throw new ForbiddenException("交易仅其经纪人和所属分市场运营人员可见 / Only the deal's broker and the sub-market's operators see a deal.");
        return MarketResults.OkWithETag(DealResponse.From(deal, user), deal.Version);
    }

    private static async Task<OkWithETag<DealResponse>> Move(Guid id, StageInput input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var expected = ETags.RequiredIfMatch(http.Request);
        var deal = await service.Deals.ChangeAsync(t => service.DealAsync(id, t), expected, d => EnsureDealBroker(d, user), d =>
        {
            var change = DealRules.Validate(input);
            d.MoveTo(change.To, user.Subject, change.Note, change.Commission, change.Amount, change.Reason, service.Now);
        }, ct);
        return MarketResults.OkWithETag(DealResponse.From(deal, user), deal.Version);
    }

    private static async Task<Created<DealNote>> AddNote(Guid id, NoteInput? input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        DealNote? note = null;
        var deal = await service.Deals.ChangeAsync(t => service.DealAsync(id, t), ETags.OptionalIfMatch(http.Request),
            d => EnsureDealBroker(d, user), d => { note = d.AddNote(user.Subject, DealRules.Note(input), NewId.NextGuid(), service.Now); }, ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{id}", note!);
    }

    private static bool IsDealBroker(Deal deal, MarketUser user) => user.Role == Roles.Broker && deal.BrokerSubject == user.Subject;

    private static void EnsureDealBroker(Deal deal, MarketUser user)
    {
        if (!IsDealBroker(deal, user)) throw new ForbiddenException("只有该交易的经纪人可以操作 / Only the deal's broker can do this.");
    }
}
