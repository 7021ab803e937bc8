namespace Marketplace.ServiceDefaults.Storage;

/// <summary>The single fields and the query shapes a collection has indexes for (what <see cref="IDocumentStore.EnsureIndexesAsync"/> was given).</summary>
public sealed record CollectionSchema(IReadOnlySet<string> Fields, IReadOnlyList<IndexShape> Shapes)
{
    public static readonly CollectionSchema None = new(new HashSet<string>(), []);

    /// <summary>The sets of equality fields whose document counts a store keeps: every declared shape's, and the whole collection (the empty set).</summary>
    public IReadOnlyList<IReadOnlyList<string>> CountedSets =>
    [
        [],
        .. Shapes.Select(s => (IReadOnlyList<string>)s.Equal.Order(StringComparer.Ordinal).ToList())
            .Where(set => set.Count > 0)
            .DistinctBy(set => string.Join(",", set)),
    ];
}

/// <summary>
/// How one query is answered from one index: the index's equality fields with the values asked for each
/// (IN gives several), the range on its order field, and what the index cannot answer (<see cref="Residual"/>:
/// a <c>Ne</c>, or a range on a field that is not the order), which the store checks document by document.
/// </summary>
public sealed record QueryPlan(
    IndexShape Shape,
    bool Declared,
    IReadOnlyList<IReadOnlyList<string>> EqualValues,
    string? Lower,
    string? Upper,
    IReadOnlyList<FieldFilter> Residual)
{
    /// <summary>
    /// True when the index answers the filter: what is left to check is a <c>Ne</c> (it does not widen what the index
    /// reads) or an equality on a field the shape declares <see cref="IndexShape.Checked"/>.
    /// </summary>
    public bool FullyIndexed => Residual.All(f => f.Op == FilterOp.Ne || f.Op is FilterOp.Eq or FilterOp.In && Shape.Checked.Contains(f.Field));

    /// <summary>No value can match (an IN of nothing, or two equalities on one field that disagree, or an empty range).</summary>
    public bool MatchesNothing => EqualValues.Any(v => v.Count == 0) || Residual.Any(f => f.Op == FilterOp.In && f.Values.Count == 0)
        || (Lower is not null && Upper is not null && string.CompareOrdinal(Lower, Upper) >= 0);

    /// <summary>Every combination of the equality values (one per IN value), in the shape's field order.</summary>
    public IEnumerable<IReadOnlyList<string>> Combinations()
    {
        IEnumerable<IReadOnlyList<string>> combinations = [[]];
        foreach (var values in EqualValues)
            combinations = combinations.SelectMany(prefix => values.Select(v => (IReadOnlyList<string>)[.. prefix, v]));
        return combinations;
    }

    public long CombinationCount => EqualValues.Aggregate(1L, (n, v) => n * v.Count);
}

/// <summary>Chooses, for a query, the one index that answers it, the same way for both adapters.</summary>
public static class QueryPlanner
{
    /// <summary>The plan, or null when no index of the collection answers the query's equality fields and order.</summary>
    public static QueryPlan? Plan(DocumentQuery query, CollectionSchema schema)
    {
        var equal = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var ranges = new List<FieldFilter>();
        var residual = new List<FieldFilter>();
        foreach (var filter in query.Filters)
        {
            switch (filter.Op)
            {
                case FilterOp.Eq or FilterOp.In:
                    var values = filter.Values.Distinct(StringComparer.Ordinal).ToList();
                    // two equalities on one field: only the values both allow
                    equal[filter.Field] = equal.TryGetValue(filter.Field, out var earlier) ? earlier.Intersect(values, StringComparer.Ordinal).ToList() : values;
                    break;
                case FilterOp.Lt or FilterOp.Gte:
                    ranges.Add(filter);
                    break;
                default:
                    residual.Add(filter);
                    break;
            }
        }
        var order = query.SortBy ?? (ranges.Select(r => r.Field).Distinct().Count() == 1 ? ranges[0].Field : null);
        var shape = Choose(equal.Keys.ToHashSet(StringComparer.Ordinal), order, schema, out var declared);
        if (shape is null) return null;
        // equalities the shape checks rather than indexes
        foreach (var field in equal.Keys.Where(f => !shape.Equal.Contains(f)).ToList())
        {
            residual.Add(FieldFilter.In(field, equal[field]));
            equal.Remove(field);
        }

        string? lower = null, upper = null;
        foreach (var range in ranges)
        {
            if (range.Field != shape.Order)
            {
                residual.Add(range);
                continue;
            }
            var value = range.Values[0];
            if (range.Op == FilterOp.Gte) lower = lower is null || string.CompareOrdinal(value, lower) > 0 ? value : lower;
            else upper = upper is null || string.CompareOrdinal(value, upper) < 0 ? value : upper;
        }
        return new QueryPlan(shape, declared, shape.Equal.Select(f => (IReadOnlyList<string>)equal[f]).ToList(), lower, upper, residual);
    }

    private static IndexShape? Choose(HashSet<string> equal, string? order, CollectionSchema schema, out bool declared)
    {
        declared = true;
        // an exact shape first; else one that indexes part of the equalities and checks the rest
        var exact = schema.Shapes.Where(s => s.Equal.Count == equal.Count && s.Equal.All(equal.Contains)).ToList();
        var checking = schema.Shapes.Where(s => s.Equal.All(equal.Contains) && equal.All(f => s.Equal.Contains(f) || s.Checked.Contains(f)))
            .OrderByDescending(s => s.Equal.Count).ToList();
        foreach (var candidates in new[] { exact, checking })
        {
            var fit = order is null
                ? candidates.FirstOrDefault(s => s.Order is null) ?? candidates.FirstOrDefault()
                : candidates.FirstOrDefault(s => s.Order == order);
            if (fit is not null) return fit;
        }

        declared = false;
        return (equal.Count, order) switch
        {
            (0, null) => new IndexShape([]),
            (0, _) when schema.Fields.Contains(order) => new IndexShape([], order),
            (1, null) when schema.Fields.Contains(equal.First()) => new IndexShape([equal.First()]),
            _ => null,
        };
    }
}
