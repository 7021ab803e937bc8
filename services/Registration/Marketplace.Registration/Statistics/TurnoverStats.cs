using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Registration.Applications;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration.Statistics;

internal sealed record TurnoverGroup(string Key, int Count, decimal Turnover, decimal TechnologyTransactionAmount);

/// <summary>Progress against the plan's target: turnover of the target year so far against base-year turnover × multiple.</summary>
internal sealed record TurnoverTarget(int BaseYear, decimal BaseTurnover, decimal Multiple, int TargetYear, decimal Target, decimal Achieved, decimal? Progress);

internal sealed record TurnoverStats(string View, string GroupBy, string? SubMarket, DateOnly? From, DateOnly? To, int Count, decimal Turnover,
    decimal TechnologyTransactionAmount, IReadOnlyList<TurnoverGroup> Groups, TurnoverTarget Target);

/// <summary>
/// How a contract is placed, as the provincial bulletins count: <c>registration</c> by its registration point,
/// <c>output</c> (技术输出) by the seller's region, <c>absorption</c> (技术吸纳) by the buyer's region. A contract
/// is in each view once: a Changsha seller's contract with a Shenzhen buyer is Changsha's output and Guangdong's
/// absorption (sub-market <c>outside</c> of Hunan, province 440000).
/// </summary>
internal static class TurnoverViews
{
    public const string Registration = "registration";
    public const string Output = "output";
    public const string Absorption = "absorption";
    public const string Outside = "outside";
    public const string Unknown = "unknown";

    public static readonly string[] All = [Registration, Output, Absorption];
    public static readonly string[] GroupBys = ["subMarket", "type", "field", "month", "province"];

    /// <summary>The province of the market (the first two digits of the provincial sub-market's GB/T 2260 code, 43 for Hunan).</summary>
    private static readonly string Province = ReferenceData.SubMarkets.First(m => m.RegionCode.EndsWith("0000", StringComparison.Ordinal)).RegionCode[..2];

    /// <summary>
    /// The sub-market a region belongs to: a city sub-market for a district or county of its city (the first four
    /// digits), the provincial market for the rest of the province, <c>outside</c> for another province.
    /// </summary>
    public static string SubMarketOf(string? regionCode)
    {
        if (regionCode is not { Length: 6 }) return Unknown;
        var city = ReferenceData.SubMarkets.FirstOrDefault(m => !m.RegionCode.EndsWith("0000", StringComparison.Ordinal)
            && string.CompareOrdinal(m.RegionCode, 0, regionCode, 0, 4) == 0);
        if (city is not null) return city.Code;
        return regionCode.StartsWith(Province, StringComparison.Ordinal)
            ? ReferenceData.SubMarkets.First(m => m.RegionCode.EndsWith("0000", StringComparison.Ordinal)).Code
            : Outside;
    }

    public static string ProvinceOf(string? regionCode) => regionCode is { Length: 6 } ? regionCode[..2] + "0000" : Unknown;

    /// <summary>The party whose region places the contract in a view (none for the registration view).</summary>
    public static PartyFacts? Party(ContractApplication a, string view) => view switch
    {
        Output => a.Facts.Seller,
        Absorption => a.Facts.Buyer,
        _ => null,
    };

    /// <summary>The sub-market a contract counts for in a view.</summary>
    public static string SubMarket(ContractApplication a, string view) =>
        view == Registration ? a.RegistrationPoint : SubMarketOf(Party(a, view)?.RegionCode);

    /// <summary>
    /// The five types the statistics use since the Civil Code made licensing a type of its own: a patent licence
    /// registered as a transfer under the 2001 rules counts as licensing.
    /// </summary>
    public static string Type(ContractApplication a) =>
        a.Facts.Subtype == ContractSubtype.PatentLicense ? WireCode.Of(ContractType.License) : WireCode.Of(a.Facts.Type!.Value);
}

/// <summary>
/// The statistics as a read model: computed from the registered contracts once, then served as they are until a
/// contract is registered or revoked — the store's stamp of the registered contracts moves in that same write
/// (<see cref="DerivedValues{TKey, TValue}"/>), so a revocation leaves every view at once; on MongoDB, which keeps
/// no stamp, a result stands for two seconds.
/// </summary>
internal sealed class TurnoverReadModel(AggregateStore<ContractApplication> applications, TimeProvider time)
{
    public DerivedValues<(string View, string GroupBy, string? SubMarket, DateOnly? From, DateOnly? To), TurnoverStats> Values { get; } = new(
        applications.Store, applications.Collection, [FieldFilter.Eq("status", WireCode.Of(ApplicationStatus.Registered))], time, TimeSpan.FromSeconds(2));
}

internal static class TurnoverStatsEndpoints
{
    public static IEndpointRouteBuilder MapTurnoverStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats/turnover", Turnover).AllowAnonymous().WithTags("Statistics 统计")
            .ProducesProblems(400)
            .WithSummary("技术合同成交额统计：登记地、技术输出（卖方所在地）、技术吸纳（买方所在地）/ Contract count, turnover and technology transaction amount by registration point, seller's region (output) or buyer's region (absorption), grouped; progress against the target");
        return app;
    }

    private static async Task<Ok<TurnoverStats>> Turnover(RegistrationService service, TurnoverReadModel model, IOptions<RegistrationOptions> options, CancellationToken ct,
        string? view, string? groupBy, string? subMarket, DateOnly? from, DateOnly? to)
    {
        view ??= TurnoverViews.Registration;
        groupBy ??= "subMarket";
        new Validator()
            .Check(TurnoverViews.All.Contains(view), "view",
                "view 可选 registration（登记地）、output（技术输出，按卖方所在地）、absorption（技术吸纳，按买方所在地）/ view is registration, output or absorption.")
            .Check(TurnoverViews.GroupBys.Contains(groupBy), "groupBy", "groupBy 可选 subMarket、type、field、month、province / groupBy is subMarket, type, field, month or province.")
            .Check(groupBy != "province" || view != TurnoverViews.Registration, "groupBy",
                "按省份统计须选择技术输出或技术吸纳 / groupBy=province needs view=output or absorption.")
            .Check(subMarket is null || ReferenceData.IsSubMarket(subMarket) || (view != TurnoverViews.Registration && subMarket == TurnoverViews.Outside), "subMarket",
                CommonRules.UnknownSubMarket(subMarket))
            .Check(from is null || to is null || from <= to, "to", "截止日期早于开始日期 / to is before from.")
            .ThrowIfInvalid();
        return TypedResults.Ok(await model.Values.GetAsync((view, groupBy, subMarket, from, to), t => Compute(service, options.Value, view, groupBy, subMarket, from, to, t), ct));
    }

    private static async Task<TurnoverStats> Compute(RegistrationService service, RegistrationOptions o, string view, string groupBy, string? subMarket,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var registered = await service.RegisteredAsync(ct);
        var inRange = registered.Where(a => (from is null || Day(a) >= from) && (to is null || Day(a) <= to)
            && (subMarket is null || TurnoverViews.SubMarket(a, view) == subMarket)).ToList();
        var groups = inRange
            .GroupBy(a => groupBy switch
            {
                "type" => TurnoverViews.Type(a),
                "field" => a.Facts.Field ?? TurnoverViews.Unknown,
                "month" => Day(a).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                "province" => TurnoverViews.ProvinceOf(TurnoverViews.Party(a, view)?.RegionCode),
                _ => TurnoverViews.SubMarket(a, view),
            })
            .Select(g => new TurnoverGroup(g.Key, g.Count(), g.Sum(Amount), g.Sum(Technology)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        // the target is the market's, whatever the view
        var baseTurnover = o.TargetBaseTurnover ?? registered.Where(a => Day(a).Year == o.TargetBaseYear).Sum(Amount);
        var target = baseTurnover * o.TargetMultiple;
        var achieved = registered.Where(a => Day(a).Year == o.TargetYear).Sum(Amount);
        return new TurnoverStats(view, groupBy, subMarket, from, to, inRange.Count, inRange.Sum(Amount), inRange.Sum(Technology), groups,
            new TurnoverTarget(o.TargetBaseYear, baseTurnover, o.TargetMultiple, o.TargetYear, target, achieved,
                target == 0 ? null : decimal.Round(achieved / target, 4, MidpointRounding.AwayFromZero)));
    }

    private static decimal Amount(ContractApplication a) => a.Facts.TotalAmount ?? 0m;

    private static decimal Technology(ContractApplication a) => a.Decision?.TechnologyTransactionAmount ?? 0m;

    private static DateOnly Day(ContractApplication a) => DateOnly.FromDateTime(a.RegisteredAt!.Value.ToOffset(ContractApplication.ChinaTime).DateTime);
}
