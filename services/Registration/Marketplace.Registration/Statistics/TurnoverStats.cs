using System.Globalization;
using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration.Statistics;

internal sealed record TurnoverGroup(string Key, int Count, decimal Turnover, decimal TechnologyTransactionAmount);

/// <summary>Progress against the plan's target: turnover of the target year so far against base-year turnover × multiple.</summary>
internal sealed record TurnoverTarget(int BaseYear, decimal BaseTurnover, decimal Multiple, int TargetYear, decimal Target, decimal Achieved, decimal? Progress);

internal sealed record TurnoverStats(string GroupBy, DateOnly? From, DateOnly? To, int Count, decimal Turnover, decimal TechnologyTransactionAmount,
    IReadOnlyList<TurnoverGroup> Groups, TurnoverTarget Target);

/// <summary>
/// Registered contracts (revoked ones no longer count), by sub-market (the registration point),
/// type, field or month of registration (Asia/Shanghai). Turnover is 成交额 (contract amounts),
/// next to 技术交易额. Dates are inclusive days of registration.
/// </summary>
/// <summary>
/// The statistics as a read model: computed from the registered contracts once, then served as they are until a
/// contract is registered or revoked — the store's stamp of the registered contracts moves in that same write
/// (<see cref="DerivedValues{TKey, TValue}"/>); on MongoDB, which keeps no stamp, a result stands for two seconds.
/// </summary>
internal sealed class TurnoverReadModel(AggregateStore<ContractApplication> applications, TimeProvider time)
{
    public DerivedValues<(string GroupBy, DateOnly? From, DateOnly? To), TurnoverStats> Values { get; } = new(
        applications.Store, applications.Collection, [FieldFilter.Eq("status", WireCode.Of(ApplicationStatus.Registered))], time, TimeSpan.FromSeconds(2));
}

internal static class TurnoverStatsEndpoints
{
    public static IEndpointRouteBuilder MapTurnoverStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats/turnover", Turnover).AllowAnonymous().WithTags("Statistics 统计")
            .ProducesProblems(400)
            .WithSummary("技术合同成交额统计 / Contract count, turnover and technology transaction amount, grouped; progress against the target");
        return app;
    }

    private static async Task<Ok<TurnoverStats>> Turnover(RegistrationService service, TurnoverReadModel model, IOptions<RegistrationOptions> options, CancellationToken ct,
        string? groupBy, DateOnly? from, DateOnly? to)
    {
        groupBy ??= "subMarket";
        new Validator()
            .Check(groupBy is "subMarket" or "type" or "field" or "month", "groupBy", "groupBy 可选 subMarket、type、field、month / groupBy is subMarket, type, field or month.")
            .Check(from is null || to is null || from <= to, "to", "截止日期早于开始日期 / to is before from.")
            .ThrowIfInvalid();
        return TypedResults.Ok(await model.Values.GetAsync((groupBy, from, to), t => Compute(service, options.Value, groupBy, from, to, t), ct));
    }

    private static async Task<TurnoverStats> Compute(RegistrationService service, RegistrationOptions o, string groupBy, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var registered = await service.RegisteredAsync(ct);
        var inRange = registered.Where(a => (from is null || Day(a) >= from) && (to is null || Day(a) <= to)).ToList();
        var groups = inRange
            .GroupBy(a => groupBy switch
            {
                "type" => WireCode.Of(a.Facts.Type!.Value),
                "field" => a.Facts.Field ?? "unknown",
                "month" => Day(a).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                _ => a.RegistrationPoint,
            })
            .Select(g => new TurnoverGroup(g.Key, g.Count(), g.Sum(Amount), g.Sum(Technology)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var baseTurnover = o.TargetBaseTurnover ?? registered.Where(a => Day(a).Year == o.TargetBaseYear).Sum(Amount);
        var target = baseTurnover * o.TargetMultiple;
        var achieved = registered.Where(a => Day(a).Year == o.TargetYear).Sum(Amount);
        return new TurnoverStats(groupBy, from, to, inRange.Count, inRange.Sum(Amount), inRange.Sum(Technology), groups,
            new TurnoverTarget(o.TargetBaseYear, baseTurnover, o.TargetMultiple, o.TargetYear, target, achieved,
                target == 0 ? null : decimal.Round(achieved / target, 4, MidpointRounding.AwayFromZero)));
    }

    private static decimal Amount(ContractApplication a) => a.Facts.TotalAmount ?? 0m;

    private static decimal Technology(ContractApplication a) => a.Decision?.TechnologyTransactionAmount ?? 0m;

    private static DateOnly Day(ContractApplication a) => DateOnly.FromDateTime(a.RegisteredAt!.Value.ToOffset(ContractApplication.ChinaTime).DateTime);
}
