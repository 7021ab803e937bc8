using Marketplace.Broker.Deals;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Broker.Brokers;

public sealed record BrokerResponse
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required BrokerLevel Level { get; init; }
    /// <summary>初级 / 中级 / 高级</summary>
    public required string LevelName { get; init; }
    public required string CertificateNumber { get; init; }
    public required string Organisation { get; init; }
    public string? OrganisationName { get; init; }
    public required string SubMarket { get; init; }
    public required IReadOnlyList<string> Fields { get; init; }
    public string? Introduction { get; init; }
    /// <summary>Shown to signed-in users only.</summary>
    public BrokerContact? Contact { get; init; }
    public required BrokerStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public required long Version { get; init; }
    public bool IsDemo { get; init; }
    public DateTimeOffset? ActiveSince { get; init; }
    /// <summary>For the broker and the sub-market's operators.</summary>
    public IReadOnlyList<BrokerHistoryEntry>? History { get; init; }

    public static string NameOf(BrokerLevel level) => level switch
    {
        BrokerLevel.Junior => "初级",
        BrokerLevel.Intermediate => "中级",
        _ => "高级",
    };

    public static BrokerResponse From(Broker broker, MarketUser? viewer)
    {
        var insider = broker.IsAccount(viewer) || (viewer is not null && viewer.IsOperatorOf(broker.SubMarket));
        return new BrokerResponse
        {
            Id = broker.Id,
            Name = broker.Profile.Name,
            Level = broker.Profile.Level,
            LevelName = NameOf(broker.Profile.Level),
            CertificateNumber = broker.Profile.CertificateNumber,
            Organisation = broker.Organisation,
            OrganisationName = broker.OrganisationName,
            SubMarket = broker.SubMarket,
            Fields = broker.Profile.Fields,
            Introduction = broker.Profile.Introduction,
            Contact = viewer is null ? null : broker.Profile.Contact,
            Status = broker.Status,
            StatusReason = insider ? broker.StatusReason : null,
            Version = broker.Version,
            IsDemo = broker.IsDemo,
            ActiveSince = broker.ActiveSince,
            History = insider ? broker.History : null,
        };
    }
}

public static class BrokerEndpoints
{
    public static IEndpointRouteBuilder MapBrokerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/brokers").WithTags("Brokers 技术经纪人");
        group.MapPost("/", Register).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("登记经纪人资料（待审核）/ Register your broker profile for review");
        group.MapGet("/", Directory).AllowAnonymous()
            .WithSummary("经纪人名录 / Directory of active brokers; status= for operators");
        group.MapGet("/me", Mine).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("我的经纪人资料 / Your own broker profile");
        group.MapGet("/{id:guid}", Get).AllowAnonymous()
            .WithSummary("经纪人详情 / A broker: active ones to anyone, otherwise the broker and operators");
        group.MapPut("/{id:guid}", Edit).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .WithSummary("修改资料（需 If-Match）/ Edit your profile; a new level or certificate goes back to review");
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .WithSummary("审核通过或恢复 / Approve or reinstate (operators of the broker's sub-market)");
        group.MapPost("/{id:guid}/suspend", Suspend).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .WithSummary("暂停 / Suspend with a reason (operators of the broker's sub-market)");
        group.MapGet("/{id:guid}/stats", Stats).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .WithSummary("业绩统计 / Deal statistics: the broker and the sub-market's operators");
        return app;
    }

    private static async Task<Created<BrokerResponse>> Register(BrokerInput input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var profile = BrokerRules.Validate(input);
        var subMarket = input.SubMarket ?? user.SubMarket;
        if (subMarket is null || !ReferenceData.IsSubMarket(subMarket))
            throw ValidationFailedException.For("subMarket", $"未知的分市场代码“{subMarket}” / Unknown sub-market code.");
        var broker = Broker.Register(user, subMarket, profile, user.IsDemo, stores.Now);
        try
        {
            await stores.Brokers.InsertAsync(broker, ct);
        }
        catch (DocumentExistsException)
        {
            throw new ConflictException($"您已登记过经纪人资料（{broker.Id}），请修改已有资料 / You already have a broker profile ({broker.Id}); edit it instead.");
        }
        http.Response.Headers.ETag = ETags.For(broker.Version);
        return TypedResults.Created($"/api/brokers/{broker.Id}", BrokerResponse.From(broker, user));
    }

    private static async Task<Ok<Paged<BrokerResponse>>> Directory(HttpContext http, BrokerStores stores, CancellationToken ct,
        string? subMarket, string? field, string? level, string? status, int? page, int? pageSize)
    {
        var user = MarketUser.From(http.User);
        var paging = Paging.From(page, pageSize);
        var levelCode = WireCode.Parse<BrokerLevel>(level, "level");
        var statusCode = WireCode.Parse<BrokerStatus>(status, "status") ?? BrokerStatus.Active;
        var v = new Validator()
            .Check(subMarket is null || ReferenceData.IsSubMarket(subMarket), "subMarket", "未知的分市场代码 / Unknown sub-market code.")
            .Check(field is null || ReferenceData.IsField(field), "field", "未知的技术领域代码 / Unknown field code.");
        v.ThrowIfInvalid();
        if (statusCode != BrokerStatus.Active)
        {
            // the review queue and the suspended list are the operators'
            if (user is null) throw new UnauthorizedException();
            if (user.Role != Roles.Operator) throw new ForbiddenException("只有运营人员可以查看待审或暂停的经纪人 / Only operators list pending or suspended brokers.");
            subMarket = user.OperatorScope(subMarket, "经纪人");
        }
        var filters = new List<FieldFilter> { FieldFilter.Eq("status", WireCode.Of(statusCode)) };
        if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
        if (levelCode is { } l) filters.Add(FieldFilter.Eq("level", WireCode.Of(l)));
        var brokers = (await stores.Brokers.QueryAllAsync(filters, "createdKey", ct))
            .Where(b => field is null || b.Covers(field))
            .OrderByDescending(b => b.Profile.Level).ThenBy(b => b.ActiveSince ?? b.CreatedAt).ThenBy(b => b.Id)
            .ToList();
        var items = brokers.Skip(paging.Skip).Take(paging.PageSize).Select(b => BrokerResponse.From(b, user)).ToList();
        return TypedResults.Ok(new Paged<BrokerResponse>(items, brokers.Count, paging.Page, paging.PageSize));
    }

    private static async Task<Ok<BrokerResponse>> Mine(HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await stores.Brokers.FindAsync(Broker.IdFor(user.Subject).ToString(), ct)
            ?? throw new NotFoundException("您还没有登记经纪人资料 / You have no broker profile yet.");
        return Respond(http, broker, user);
    }

    private static async Task<Ok<BrokerResponse>> Get(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.From(http.User);
        var broker = await stores.BrokerAsync(id, ct);
        if (!broker.IsVisibleTo(user))
        {
            if (user is null) throw new UnauthorizedException();
            throw new ForbiddenException("该经纪人不在册，仅本人和所属分市场运营人员可见 / Only the broker and the sub-market's operators see a broker who is not active.");
        }
        return Respond(http, broker, user);
    }

    private static async Task<Ok<BrokerResponse>> Edit(Guid id, BrokerInput input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var expected = ETags.RequiredIfMatch(http.Request);
        var broker = await stores.Brokers.ChangeAsync(t => stores.BrokerAsync(id, t), expected, b => EnsureSelf(b, user), b =>
        {
            if (input.SubMarket is { } sm && sm != b.SubMarket)
                throw ValidationFailedException.For("subMarket", "所属分市场不能修改，请联系运营人员 / subMarket cannot change; ask the operators.");
            b.Edit(BrokerRules.Validate(input), user, stores.Now);
            return Task.CompletedTask;
        }, ct);
        return Respond(http, broker, user);
    }

    private static async Task<Ok<BrokerResponse>> Approve(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await stores.Brokers.ChangeAsync(t => stores.BrokerAsync(id, t), ETags.OptionalIfMatch(http.Request),
            b => EnsureOperator(b, user), b => { b.Approve(user, stores.Now); return Task.CompletedTask; }, ct);
        return Respond(http, broker, user);
    }

    private static async Task<Ok<BrokerResponse>> Suspend(Guid id, ReasonInput? input, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await stores.Brokers.ChangeAsync(t => stores.BrokerAsync(id, t), ETags.OptionalIfMatch(http.Request),
            b => EnsureOperator(b, user), b => { b.Suspend(user, BrokerRules.RequiredReason(input), stores.Now); return Task.CompletedTask; }, ct);
        return Respond(http, broker, user);
    }

    private static async Task<Ok<BrokerStats>> Stats(Guid id, HttpContext http, BrokerStores stores, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var broker = await stores.BrokerAsync(id, ct);
        if (!broker.IsAccount(user) && !user.IsOperatorOf(broker.SubMarket))
            throw new ForbiddenException("业绩统计仅本人和所属分市场运营人员可见 / Only the broker and the sub-market's operators see the statistics.");
        var deals = await stores.Deals.QueryAllAsync([FieldFilter.Eq("brokerId", broker.Id.ToString())], "createdKey", ct);
        return TypedResults.Ok(BrokerStats.Compute(broker.Id, deals));
    }

    internal static void EnsureSelf(Broker broker, MarketUser user)
    {
        if (!broker.IsAccount(user)) throw new ForbiddenException("只能修改本人的经纪人资料 / Only the broker edits their own profile.");
    }

    private static void EnsureOperator(Broker broker, MarketUser user)
    {
        if (!user.IsOperatorOf(broker.SubMarket))
            throw new ForbiddenException($"只能审核本分市场（{user.SubMarket}）的经纪人 / Operators review only their own sub-market's brokers.");
    }

    private static Ok<BrokerResponse> Respond(HttpContext http, Broker broker, MarketUser? user)
    {
        http.Response.Headers.ETag = ETags.For(broker.Version);
        return TypedResults.Ok(BrokerResponse.From(broker, user));
    }


}
