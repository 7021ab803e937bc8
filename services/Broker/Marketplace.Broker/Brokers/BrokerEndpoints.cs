using Marketplace.Broker.Deals;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Broker.Brokers;

internal sealed record BrokerResponse
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

internal static class BrokerEndpoints
{
    public static IEndpointRouteBuilder MapBrokerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/brokers").WithTags("Brokers 技术经纪人").ProducesProblems(401, 403);
        group.MapPost("/", Register).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 409, 413, 415)
            .WithSummary("登记经纪人资料（待审核）/ Register your broker profile for review");
        group.MapGet("/", Directory).AllowAnonymous()
            .ProducesProblems(400)
            .WithSummary("经纪人名录 / Directory of active brokers; status= for operators");
        group.MapGet("/me", Mine).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(404)
            .WithSummary("我的经纪人资料 / Your own broker profile");
        group.MapGet("/{id:guid}", Get).AllowAnonymous()
            .ProducesProblems(404)
            .WithSummary("经纪人详情 / A broker: active ones to anyone, otherwise the broker and operators");
        group.MapPut("/{id:guid}", Edit).RequireAuthorization(p => p.RequireRole(Roles.Broker))
            .ProducesProblems(400, 404, 409, 412, 413, 415, 428)
            .WithSummary("修改资料（需 If-Match）/ Edit your profile; a new level or certificate goes back to review");
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400, 404, 409, 412)
            .WithSummary("审核通过或恢复 / Approve or reinstate (operators of the broker's sub-market)");
        group.MapPost("/{id:guid}/suspend", Suspend).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("暂停 / Suspend with a reason (operators of the broker's sub-market)");
        group.MapGet("/{id:guid}/stats", Stats).RequireAuthorization(p => p.RequireRole(Roles.Broker, Roles.Operator))
            .ProducesProblems(404)
            .WithSummary("业绩统计 / Deal statistics: the broker and the sub-market's operators");
        return app;
    }

    private static async Task<Created<BrokerResponse>> Register(BrokerInput input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var (subMarket, profile) = BrokerRules.Register(input, user.SubMarket);
        var broker = await service.RegisterAsync(user, subMarket, profile, ct);
        http.Response.Headers.ETag = ETags.For(broker.Version);
        return TypedResults.Created($"/api/brokers/{broker.Id}", BrokerResponse.From(broker, user));
    }

    private static async Task<Ok<Paged<BrokerResponse>>> Directory(MarketUser? user, BrokerService service, BrokerDirectory directory, CancellationToken ct,
        string? subMarket, string? field, string? level, string? status, int? page, int? pageSize)
    {
        var paging = Paging.From(page, pageSize);
        var filter = BrokerRules.Directory(subMarket, field, level, status);
        var scope = filter.SubMarket;
        if (filter.Status != BrokerStatus.Active)
        {
            // the review queue and the suspended list are the operators'
            if (user is null) throw new UnauthorizedException();
            if (user.Role != Roles.Operator) throw new ForbiddenException("只有运营人员可以查看待审或暂停的经纪人 / Only operators list pending or suspended brokers.");
            scope = user.OperatorScope(scope, "经纪人");
        }
        var brokers = await directory.Values.GetAsync((filter.Status, scope, filter.Field, filter.Level), async t =>
            (IReadOnlyList<Broker>)(await service.BrokersAsync(filter.Status, scope, filter.Field, filter.Level, t))
                .OrderByDescending(b => b.Profile.Level).ThenBy(b => b.ActiveSince ?? b.CreatedAt).ThenBy(b => b.Id)
                .ToList(), ct);
        var items = brokers.Skip(paging.Skip).Take(paging.PageSize).Select(b => BrokerResponse.From(b, user)).ToList();
        return TypedResults.Ok(new Paged<BrokerResponse>(items, brokers.Count, paging.Page, paging.PageSize));
    }

    private static async Task<OkWithETag<BrokerResponse>> Mine(MarketUser user, BrokerService service, CancellationToken ct)
    {
        var broker = await service.OwnProfileAsync(user, ct);
        return MarketResults.OkWithETag(BrokerResponse.From(broker, user), broker.Version);
    }

    private static async Task<OkWithETag<BrokerResponse>> Get(Guid id, MarketUser? user, BrokerService service, CancellationToken ct)
    {
        var broker = await service.BrokerAsync(id, ct);
        if (!broker.IsVisibleTo(user))
        {
            if (user is null) throw new UnauthorizedException();
            throw new ForbiddenException("该经纪人不在册，仅本人和所属分市场运营人员可见 / Only the broker and the sub-market's operators see a broker who is not active.");
        }
        return MarketResults.OkWithETag(BrokerResponse.From(broker, user), broker.Version);
    }

    private static async Task<OkWithETag<BrokerResponse>> Edit(Guid id, BrokerInput input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var expected = ETags.RequiredIfMatch(http.Request);
        var broker = await service.Brokers.ChangeAsync(t => service.BrokerAsync(id, t), expected, b => EnsureSelf(b, user),
            b => b.Edit(BrokerRules.Edit(input, b.SubMarket), user, service.Now), ct);
        return MarketResults.OkWithETag(BrokerResponse.From(broker, user), broker.Version);
    }

    private static async Task<OkWithETag<BrokerResponse>> Approve(Guid id, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var broker = await service.Brokers.ChangeAsync(t => service.BrokerAsync(id, t), ETags.OptionalIfMatch(http.Request),
            b => EnsureOperator(b, user), b => b.Approve(user, service.Now), ct);
        return MarketResults.OkWithETag(BrokerResponse.From(broker, user), broker.Version);
    }

    private static async Task<OkWithETag<BrokerResponse>> Suspend(Guid id, ReasonInput? input, MarketUser user, HttpContext http, BrokerService service, CancellationToken ct)
    {
        var broker = await service.Brokers.ChangeAsync(t => service.BrokerAsync(id, t), ETags.OptionalIfMatch(http.Request),
            b => EnsureOperator(b, user), b => b.Suspend(user, BrokerRules.RequiredReason(input), service.Now), ct);
        return MarketResults.OkWithETag(BrokerResponse.From(broker, user), broker.Version);
    }

    private static async Task<Ok<BrokerStats>> Stats(Guid id, MarketUser user, BrokerService service, CancellationToken ct)
    {
        var broker = await service.BrokerAsync(id, ct);
        if (!broker.IsAccount(user) && !user.IsOperatorOf(broker.SubMarket))
            throw new ForbiddenException("业绩统计仅本人和所属分市场运营人员可见 / Only the broker and the sub-market's operators see the statistics.");
        return TypedResults.Ok(BrokerStats.Compute(broker.Id, await service.DealsOfAsync(broker.Id, ct)));
    }

    private static void EnsureSelf(Broker broker, MarketUser user)
    {
        if (!broker.IsAccount(user)) throw new ForbiddenException("只能修改本人的经纪人资料 / Only the broker edits their own profile.");
    }

    private static void EnsureOperator(Broker broker, MarketUser user)
    {
        if (!user.IsOperatorOf(broker.SubMarket))
            throw new ForbiddenException($"只能审核本分市场（{user.SubMarket}）的经纪人 / Operators review only their own sub-market's brokers.");
    }
}

/// <summary>
/// The directory's order as a read model: each filter's brokers, sorted, kept until a broker is written — the
/// store's stamp of the collection moves in that same write (<see cref="DerivedValues{TKey, TValue}"/>); on MongoDB
/// a list stands for two seconds. Pages are cut from the kept list; who sees which contact is decided per request.
/// </summary>
internal sealed class BrokerDirectory(AggregateStore<Broker> brokers, TimeProvider time)
{
    public DerivedValues<(BrokerStatus Status, string? SubMarket, string? Field, BrokerLevel? Level), IReadOnlyList<Broker>> Values { get; } =
        new(brokers.Store, brokers.Collection, [], time, TimeSpan.FromSeconds(2));
}
