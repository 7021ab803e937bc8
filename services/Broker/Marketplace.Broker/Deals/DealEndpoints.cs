using System.Text.Json;
using Marketplace.Broker.Brokers;
using Marketplace.Broker.Leads;
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

public sealed record DealResponse
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

public sealed record DealInput
{
    public Guid? OfferId { get; init; }
    public Guid? DemandId { get; init; }
    public string? Title { get; init; }
    /// <summary>Defaults to the broker's sub-market.</summary>
    public string? SubMarket { get; init; }
    public string? Field { get; init; }
}

public sealed record CommissionInput(CommissionKind? Kind, decimal? Percent, decimal? Amount);

public sealed record StageInput
{
    public DealStage? To { get; init; }
    public string? Note { get; init; }
    /// <summary>With <c>agreed</c>.</summary>
    public CommissionInput? Commission { get; init; }
    /// <summary>With <c>closed</c>: the amount the deal was done for; defaults to the registered contract amount.</summary>
    public decimal? Amount { get; init; }
    /// <summary>With <c>lost</c>.</summary>
    public string? Reason { get; init; }
}

public sealed record NoteInput(string? Text);

public static class DealEndpoints
{
    public const decimal MoneyCeiling = 100_000_000_000m;

    public static IEndpointRouteBuilder MapDealEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deals").WithTags("Deals 交易");
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("开启交易 / Open a deal (a party may have no listing)");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .WithSummary("交易列表 / Deals: a broker's own (mine=true), or the sub-market's for operators");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .WithSummary("交易详情 / A deal: its broker and the sub-market's operators");
        group.MapPost("/{id:guid}/stage", Move).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("推进阶段（需 If-Match）/ Move the deal one stage on, or to lost");
        group.MapPost("/{id:guid}/notes", AddNote).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("添加跟进记录 / Add a note");
        return app;
    }

    private static async Task<Created<DealResponse>> Create(DealInput input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await LeadEndpoints.ActiveBrokerAsync(stores, user, ct);
        var subMarket = input.SubMarket ?? broker.SubMarket;
        new Validator()
            .Text(input.Title, "title", "交易名称", 200, min: 2)
            .Check(ReferenceData.IsSubMarket(subMarket), "subMarket", "未知的分市场代码 / Unknown sub-market code.")
            .Check(input.Field is not null && ReferenceData.IsField(input.Field), "field", "请填写有效的技术领域代码 / field must be a known field code.")
            .Check(input.OfferId != Guid.Empty && input.DemandId != Guid.Empty, "offerId", "挂牌编号无效 / Not a listing id.")
            .ThrowIfInvalid();
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var id = Idempotency.ResourceId(http.Request, user.Subject, "deal") ?? NewId.NextGuid();
        var deal = Deal.Open(id, broker.Id, broker.Subject, input.OfferId, input.DemandId, null, input.Title!.Trim(), subMarket, input.Field!,
            user.IsDemo, user.Subject, stores.Now, fingerprint);
        deal = await Idempotency.InsertAsync(http.Response, stores.Deals, deal, fingerprint, d => d.RequestFingerprint, ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{deal.Id}", DealResponse.From(deal, user));
    }

    private static async Task<Ok<Paged<DealResponse>>> List(HttpContext http, BrokerStores stores, CancellationToken ct,
        bool? mine, string? stage, string? subMarket, int? page, int? pageSize)
    {
        var user = MarketUser.Required(http.User);
        var paging = Paging.From(page, pageSize);
        var stageCode = WireCode.Parse<DealStage>(stage, "stage");
        if (subMarket is not null && !ReferenceData.IsSubMarket(subMarket))
            throw ValidationFailedException.For("subMarket", "未知的分市场代码 / Unknown sub-market code.");
        var filters = new List<FieldFilter>();
        if (user.Role == Roles.Broker)
        {
            if (mine == false) throw new ForbiddenException("经纪人只能查看自己的交易 / Brokers list their own deals (mine=true).");
            filters.Add(FieldFilter.Eq("brokerSubject", user.Subject));
        }
        else
        {
            if (mine == true) throw ValidationFailedException.For("mine", "运营人员没有自己的交易 / Operators have no deals of their own.");
            subMarket = user.OperatorScope(subMarket, "交易");
        }
        if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
        if (stageCode is { } s) filters.Add(FieldFilter.Eq("stage", WireCode.Of(s)));
        return TypedResults.Ok(await paging.QueryAsync(stores.Deals, filters, "updatedAt", d => DealResponse.From(d, user), ct));
    }

    private static async Task<Ok<DealResponse>> Get(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var deal = await stores.DealAsync(id, ct);
        if (!IsDealBroker(deal, user) && !user.IsOperatorOf(deal.SubMarket))
            throw new ForbiddenException("交易仅其经纪人和所属分市场运营人员可见 / Only the deal's broker and the sub-market's operators see a deal.");
        return Respond(http, deal, user);
    }

    private static async Task<Ok<DealResponse>> Move(Guid id, StageInput input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var expected = ETags.RequiredIfMatch(http.Request);
        var deal = await stores.Deals.ChangeAsync(t => stores.DealAsync(id, t), expected, d => EnsureDealBroker(d, user), d =>
        {
            var (to, note, commission, amount, reason) = Validate(input);
            d.MoveTo(to, user.Subject, note, commission, amount, reason, stores.Now);
            return Task.CompletedTask;
        }, ct);
        return Respond(http, deal, user);
    }

    private static async Task<Created<DealNote>> AddNote(Guid id, NoteInput? input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        DealNote? note = null;
        var deal = await stores.Deals.ChangeAsync(t => stores.DealAsync(id, t), ETags.OptionalIfMatch(http.Request),
            d => EnsureDealBroker(d, user), d =>
            {
                new Validator().Text(input?.Text, "text", "跟进记录", 2000).ThrowIfInvalid();
                note = d.AddNote(user.Subject, input!.Text!.Trim(), NewId.NextGuid(), stores.Now);
                return Task.CompletedTask;
            }, ct);
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Created($"/api/deals/{id}", note!);
    }

    private static (DealStage To, string? Note, CommissionTerms? Commission, decimal? Amount, string? Reason) Validate(StageInput input)
    {
        var v = new Validator()
            .Check(input.To is not null, "to", "请填写目标阶段 / to is required.")
            .Text(input.Note, "note", "说明", 1000, required: false);
        CommissionTerms? commission = null;
        if (input.Commission is { } c)
        {
            v.Check(c.Kind is not null, "commission.kind", "请选择佣金方式：percentage（比例）或 fixed（固定金额）/ commission.kind is percentage or fixed.");
            if (c.Kind == CommissionKind.Percentage)
                v.Check(c.Percent is > 0 and <= 100 && decimal.Round(c.Percent.Value, 2) == c.Percent, "commission.percent",
                    "佣金比例为 0–100（百分比，最多两位小数）/ commission.percent is 0–100 with at most two decimals.");
            if (c.Kind == CommissionKind.Fixed) Money(v, c.Amount, "commission.amount", required: true);
            if (v.IsValid) commission = new CommissionTerms(c.Kind!.Value, c.Kind == CommissionKind.Percentage ? c.Percent : null, c.Kind == CommissionKind.Fixed ? c.Amount : null);
        }
        if (input.To != DealStage.Agreed) v.Check(input.Commission is null, "commission", "佣金只在达成一致（agreed）时约定 / commission goes with agreed.");
        if (input.To != DealStage.Closed) v.Check(input.Amount is null, "amount", "成交金额只在结束（closed）时填写 / amount goes with closed.");
        Money(v, input.Amount, "amount", required: false);
        if (input.To == DealStage.Lost) v.Text(input.Reason, "reason", "未成交原因", 500, min: 2);
        else v.Check(input.Reason is null, "reason", "原因只在未成交（lost）时填写 / reason goes with lost.");
        v.ThrowIfInvalid();
        return (input.To!.Value, string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), commission, input.Amount, input.Reason?.Trim());
    }

    private static void Money(Validator v, decimal? amount, string field, bool required)
    {
        if (amount is not { } value)
        {
            if (required) v.Add(field, "请填写金额 / An amount is required.");
            return;
        }
        v.Check(value > 0 && value <= MoneyCeiling && decimal.Round(value, 2) == value, field,
            "金额为 0 至 1000 亿元、最多两位小数 / Amounts are above 0, up to 100 billion yuan, with at most two decimals.");
    }

    private static bool IsDealBroker(Deal deal, MarketUser user) => user.Role == Roles.Broker && deal.BrokerSubject == user.Subject;

    private static void EnsureDealBroker(Deal deal, MarketUser user)
    {
        if (!IsDealBroker(deal, user)) throw new ForbiddenException("只有该交易的经纪人可以操作 / Only the deal's broker can do this.");
    }

    private static Ok<DealResponse> Respond(HttpContext http, Deal deal, MarketUser user)
    {
        http.Response.Headers.ETag = ETags.For(deal.Version);
        return TypedResults.Ok(DealResponse.From(deal, user));
    }
}
