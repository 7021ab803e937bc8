using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.Broker.Brokers;

/// <summary>
/// The plan's broker target (the <c>Broker:Target</c> section): the action plan aims at 1,500 new technology
/// brokers and managers in three years (“力争三年内新增技术经纪(经理)人1500名以上”), counted from <see cref="FromYear"/>.
/// </summary>
internal sealed class BrokerTargetOptions
{
    public int NewBrokers { get; set; } = 1500;
    public int FromYear { get; set; } = 2025;
    public int Years { get; set; } = 3;
    /// <summary>A city sub-market's own share of the target over the period, where one is set (none by default).</summary>
    public Dictionary<string, int> SubMarketNewBrokers { get; set; } = [];
}

/// <summary>One calendar year (Asia/Shanghai): brokers first approved that year, and how many of them are active now.</summary>
internal sealed record BrokerGrowthYear(int Year, int NewActive, int StillActive, int? Target);

/// <summary>The target over its period: new brokers approved from <c>FromYear</c> through <c>ToYear</c> against the total.</summary>
internal sealed record BrokerTarget(int FromYear, int ToYear, int Total, int YearlyTarget, int Achieved, decimal? Progress);

internal sealed record BrokerGrowth(string? SubMarket, IReadOnlyList<BrokerGrowthYear> Years, BrokerTarget? Target);

/// <summary>
/// New active brokers per year as a read model, recomputed only when a broker is written (the stamp of the
/// collection moves in that same write; on MongoDB a value stands for two seconds).
/// </summary>
internal sealed class BrokerGrowthModel(AggregateStore<Broker> brokers, IOptions<BrokerTargetOptions> options, TimeProvider time)
{
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    private readonly DerivedValues<string, BrokerGrowth> _values = new(brokers.Store, brokers.Collection, [], time, TimeSpan.FromSeconds(2), capacity: 16);

    public Task<BrokerGrowth> GetAsync(string? subMarket, CancellationToken ct) =>
        _values.GetAsync(subMarket ?? "", t => ComputeAsync(subMarket, t), ct);

    private async Task<BrokerGrowth> ComputeAsync(string? subMarket, CancellationToken ct)
    {
        var o = options.Value;
        var all = await brokers.QueryAllAsync([], "createdKey", ct);
        // a broker is new in the year of its first approval; a later suspension or re-review does not make it new again
        var joined = all.Where(b => subMarket is null || b.SubMarket == subMarket)
            .Select(b => (Broker: b, First: b.History.FirstOrDefault(h => h.Action == "approved")?.At))
            .Where(x => x.First is not null)
            .Select(x => (x.Broker, Year: x.First!.Value.ToOffset(ChinaTime).Year))
            .ToList();
        var total = subMarket is null ? o.NewBrokers : o.SubMarketNewBrokers.GetValueOrDefault(subMarket, -1);
        var years = Math.Max(1, o.Years);
        var toYear = o.FromYear + years - 1;
        var yearly = total < 0 ? (int?)null : (total + years - 1) / years;
        var thisYear = time.GetUtcNow().ToOffset(ChinaTime).Year;
        var shown = joined.Select(j => j.Year).Concat(Enumerable.Range(o.FromYear, years)).Append(thisYear).Distinct().Order();
        var rows = shown.Select(y => new BrokerGrowthYear(y,
            joined.Count(j => j.Year == y), joined.Count(j => j.Year == y && j.Broker.IsActive),
            y >= o.FromYear && y <= toYear ? yearly : null)).ToList();
        BrokerTarget? target = null;
        if (total >= 0)
        {
            var achieved = joined.Count(j => j.Year >= o.FromYear && j.Year <= toYear);
            target = new BrokerTarget(o.FromYear, toYear, total, yearly!.Value, achieved,
                total == 0 ? null : decimal.Round((decimal)achieved / total, 4, MidpointRounding.AwayFromZero));
        }
        return new BrokerGrowth(subMarket, rows, target);
    }
}

internal static class BrokerGrowthEndpoints
{
    public static IEndpointRouteBuilder MapBrokerGrowth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/brokers/growth", Growth).AllowAnonymous().WithTags("Brokers 技术经纪人")
            .ProducesProblems(400)
            .WithSummary("新增在册技术经纪（经理）人（按年）与规划目标 / New active brokers per year against the plan's target");
        return app;
    }

    private static async Task<Ok<BrokerGrowth>> Growth(BrokerGrowthModel model, CancellationToken ct, string? subMarket)
    {
        new Validator().Check(subMarket is null || ReferenceData.IsSubMarket(subMarket), "subMarket", CommonRules.UnknownSubMarket(subMarket)).ThrowIfInvalid();
        // the provincial market's figures are the whole province's
        return TypedResults.Ok(await model.GetAsync(subMarket == ReferenceData.ProvincialMarket ? null : subMarket, ct));
    }
}
