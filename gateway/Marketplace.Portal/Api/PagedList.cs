namespace Marketplace.Portal.Api;

/// <summary>One page of a list, as every list of the API answers (DESIGN.md §4).</summary>
public sealed record PagedList<T>
{
    /// <summary>The API's largest page (DESIGN.md §4): whoever needs every row asks page after page.</summary>
    public const int MaxPageSize = 100;

    public IReadOnlyList<T> Items { get; init; } = [];
    public long Total { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }

    /// <summary>Whether the API stopped counting at <see cref="Total"/> (its cap, 10,000): there are more.</summary>
    public bool TotalCapped { get; init; }

    /// <summary>Appends <c>page</c> and <c>pageSize</c> to a list's path, which may carry a query already.</summary>
    public static string PathOf(string path, int page, int pageSize) =>
        $"{path}{(path.Contains('?') ? '&' : '?')}page={page}&pageSize={pageSize}";
}
