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
    /// <summary>Null for a deal its parties run without a broker.</summary>
    public Guid? BrokerId { get; init; }
    public string? BrokerSubject { get; init; }
    public Guid? OfferId { get; init; }
    public Guid? DemandId { get; init; }
    public Guid? LeadId { get; init; }
    /// <summary>The introduction (对接意向) the deal was opened from.</summary>
    public Guid? InterestId { get; init; }
    /// <summary>The organisations on either side, when known.</summary>
    public required IReadOnlyList<DealParty> Parties { get; init; }
    /// <summary>How the sides reach each other; for the parties and the deal's broker only.</summary>
    public DealContacts? Contacts { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public required DealStage Stage { get; init; }
    /// <summary>The stage the deal can move to next (null once the deal has ended or waits for registration).</summary>
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
    /// <summary>The follow-up notes of whoever runs the deal: a broker's are for the broker and the operators, the parties' own (no broker) for the parties.</summary>
    public required IReadOnlyList<DealNote> Notes { get; init; }

    public static DealResponse From(Deal deal, MarketUser user) => new()
    {
        Id = deal.Id,
        BrokerId = deal.BrokerId,
        BrokerSubject = deal.BrokerSubject,
        OfferId = deal.OfferId,
        DemandId = deal.DemandId,
        LeadId = deal.LeadId,
        InterestId = deal.InterestId,
        Parties = deal.Parties,
        Contacts = DealAccess.IsBroker(deal, user) || DealAccess.IsParty(deal, user) ? deal.Contacts : null,
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
        Notes = DealAccess.SeesNotes(deal, user) ? deal.Notes : [],
    };
}

/// <summary>
/// Who may do what with a deal. Its broker runs it; a deal without a broker is run by its parties.
/// The parties (users of either organisation) and the sub-market's operators read it. To a
/// university or enterprise that is no party it does not exist (404, the answer for an unused id);
/// brokers and operators get the 403 they always had.
/// </summary>
internal static class DealAccess
{
    public static bool IsBroker(Deal deal, MarketUser user) =>
        user.Role == Roles.Broker && deal.BrokerSubject is not null && deal.BrokerSubject == user.Subject;

    public static bool IsParty(Deal deal, MarketUser user) => deal.HasParty(user.Organisation);

    /// <summary>A broker's notes are the broker's working record, not for the parties; a deal without a broker has the parties' own.</summary>
    public static bool SeesNotes(Deal deal, MarketUser user) =>
        IsBroker(deal, user) || user.IsOperatorOf(deal.SubMarket) || (!deal.HasBroker && IsParty(deal, user));

    public static void EnsureCanRead(Deal deal, MarketUser user)
    {
        if (IsBroker(deal, user) || IsParty(deal, user) || user.IsOperatorOf(deal.SubMarket)) return;
        throw Stranger(deal, user, "交易仅其经纪人、双方和所属分市场运营人员可见 / Only the deal's broker, its parties and the sub-market's operators see a deal.");
    }

    /// <summary>Moving the deal and its notes: its broker's; its parties' when it has none.</summary>
    public static void EnsureCanRun(Deal deal, MarketUser user)
    {
        if (deal.HasBroker ? IsBroker(deal, user) : IsParty(deal, user)) return;
        if (deal.HasBroker && IsParty(deal, user))
            throw new ForbiddenException("该交易由其经纪人推进 / The deal's broker runs it.");
        throw Stranger(deal, user, deal.HasBroker
            ? "只有该交易的经纪人可以操作 / Only the deal's broker can do this."
            : "该交易没有经纪人，由双方自行推进 / This deal has no broker: only its parties run it.");
    }

    private static Exception Stranger(Deal deal, MarketUser user, string forbidden) =>
        user.Role is Roles.Broker or Roles.Operator ? new ForbiddenException(forbidden) : BrokerService.DealNotFound(deal.Id);
}

internal static class DealEndpoints
{
    public static IEndpointRouteBuilder MapDealEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deals").WithTags("Deals 交易").ProducesProblems(401, 403);
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 409, 413, 415, 422)
            .WithSummary("开启交易 / Open a deal (a party may have no listing)");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator, Roles.University, Roles.Enterprise))
            .ProducesProblems(400)
            .WithSummary("交易列表 / Deals: a broker's own (mine=true); a university's or enterprise's organisation's, as a party (mine=true); the sub-market's for operators");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator, Roles.University, Roles.Enterprise))
            .ProducesProblems(404)
            .WithSummary("交易详情 / A deal: its broker, its parties and the sub-market's operators");
        group.MapPost("/{id:guid}/stage", Move).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.University, Roles.Enterprise))
            .ProducesProblems(400, 404, 409, 412, 413, 415, 428)
            .WithSummary("推进阶段（需 If-Match）/ Move the deal one stage on, or to lost: its broker, or its parties when it has none");
        group.MapPost("/{id:guid}/notes", AddNote).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.University, Roles.Enterprise))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("添加跟进记录 / Add a note: its broker, or its parties when it has none");
        group.MapPost("/{id:guid}/contract", LinkContract).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.University, Roles.Enterprise))
            .ProducesProblems(400, 404, 409, 412, 413, 415, 422)
            .WithSummary("关联已登记合同 / Link the deal to its registered contract by registration number, which moves it to registered: its broker, or its parties when it has none");
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
        if (user.Role is Roles.University or Roles.Enterprise)
        {
            if (mine == false) throw new ForbiddenException("只能查看本单位参与的交易 / You list the deals your organisation is a party to (mine=true).");
            if (scope is not null) filters.Add(FieldFilter.Eq("subMarket", scope));
            if (filter.Stage is { } partyStage) filters.Add(FieldFilter.Eq("stage", WireCode.Of(partyStage)));
            return TypedResults.Ok(await service.PartyDealsAsync(user.Organisation, filters, paging, d => DealResponse.From(d, user), ct));
        }
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
        DealAccess.EnsureCanRead(deal, user);
        return MarketResults.OkWithETag(DealResponse.From(deal, user), deal.Version);
    }

    private static async Task<OkWithETag<DealResponse>> Move(Guid id, StageInput input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var expected = ETags.RequiredIfMatch(http.Request);
        var deal = await service.Deals.ChangeAsync(t => service.DealAsync(id, t), expected, d => DealAccess.EnsureCanRun(d, user), d =>
        {
            var change = DealRules.Validate(input);
            d.MoveTo(change.To, user.Subject, change.Note, change.Commission, change.Amount, change.Reason, service.Now);
        }, ct);
        return MarketResults.OkWithETag(DealResponse.From(deal, user), deal.Version);
    }

    /// <summary>
    /// A contract registered without naming the deal is linked to it here. The refusals about the contract
    /// (unknown, revoked, its applicant no party, another deal's) name the field, for the form to show there.
    /// </summary>
    private static async Task<Results<OkWithETag<DealResponse>, ProblemHttpResult>> LinkContract(Guid id, ContractLinkInput? input, MarketUser user,
        HttpContext http, ContractLinks links, CancellationToken ct)
    {
        try
        {
            var deal = await links.LinkAsync(id, input, user, ETags.OptionalIfMatch(http.Request), ct);
            return MarketResults.OkWithETag(DealResponse.From(deal, user), deal.Version);
        }
        catch (ContractNotLinkableException e)
        {
            return TypedResults.Problem(statusCode: e.Status, type: ProblemDetailsExceptionHandler.TypeBase + "contract-not-linkable",
                title: "不能关联该合同 / The contract cannot be linked", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["registrationNumber"] = [e.Message] } });
        }
    }

    private static async Task<Created<DealNote>> AddNote(Guid id, NoteInput? input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        DealNote? note = null;
        var deal = await service.Deals.ChangeAsync(t => service.DealAsync(id, t), ETags.OptionalIfMatch(http.Request),
            d => DealAccess.EnsureCanRun(d, user), d => { note = d.AddNote(user.Subject, DealRules.Note(input), NewId.NextGuid(), service.Now); }, ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{id}", note!);
    }
}
