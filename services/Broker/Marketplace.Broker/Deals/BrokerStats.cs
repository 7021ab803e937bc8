using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Json;

namespace Marketplace.Broker.Deals;

/// <summary>
/// A broker's record. Conversion is closed deals over all deals opened (every deal starts as a
/// lead). Days per stage: for each stage, the median time deals spent in it, over the deals that
/// have left it; a stage no deal has left yet is absent.
/// </summary>
internal sealed record BrokerStats
{
    public required Guid BrokerId { get; init; }
    public required int Deals { get; init; }
    public required IReadOnlyDictionary<string, int> OpenByStage { get; init; }
    public required int Open { get; init; }
    public required int Closed { get; init; }
    public required int Lost { get; init; }
    public required decimal ClosedAmount { get; init; }
    public required decimal Commission { get; init; }
    /// <summary>Closed ÷ all deals, 0–1, four decimals; null with no deals.</summary>
    public decimal? Conversion { get; init; }
    public required IReadOnlyDictionary<string, decimal> MedianDaysPerStage { get; init; }

    public static BrokerStats Compute(Guid brokerId, IReadOnlyCollection<Deal> deals)
    {
        var open = Deal.Sequence.Where(s => s != DealStage.Closed)
            .ToDictionary(WireCode.Of, s => deals.Count(d => d.Stage == s));
        var closed = deals.Where(d => d.Stage == DealStage.Closed).ToList();
        var durations = new Dictionary<DealStage, List<double>>();
        foreach (var deal in deals)
        {
            var changes = deal.History.OrderBy(c => c.At).ToList();
            for (var i = 0; i + 1 < changes.Count; i++)
            {
                var stage = changes[i].To;
                if (!durations.TryGetValue(stage, out var list)) durations[stage] = list = [];
                list.Add((changes[i + 1].At - changes[i].At).TotalDays);
            }
        }
        return new BrokerStats
        {
            BrokerId = brokerId,
            Deals = deals.Count,
            OpenByStage = open,
            Open = open.Values.Sum(),
            Closed = closed.Count,
            Lost = deals.Count(d => d.Stage == DealStage.Lost),
            ClosedAmount = closed.Sum(d => d.Amount ?? 0m),
            Commission = closed.Sum(d => d.CommissionAmount ?? 0m),
            Conversion = deals.Count == 0 ? null : decimal.Round((decimal)closed.Count / deals.Count, 4, MidpointRounding.AwayFromZero),
            MedianDaysPerStage = Deal.Sequence.Where(durations.ContainsKey)
                .ToDictionary(WireCode.Of, s => decimal.Round((decimal)Median(durations[s]), 2, MidpointRounding.AwayFromZero)),
        };
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
