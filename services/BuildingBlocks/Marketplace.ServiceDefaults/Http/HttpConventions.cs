using System.Security.Cryptography;
using System.Text;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Http;

/// <summary>
/// A page of a list: <c>{ items, total, page, pageSize, totalCapped }</c> (DESIGN.md §4). Totals are counted up to
/// <see cref="DocumentPage.TotalCap"/>; beyond it <c>total</c> is the cap and <c>totalCapped</c> is true ("10,000+").
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize, bool TotalCapped = false);

public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// How deep a list can be paged (page × pageSize); beyond it a caller narrows the filters.
    /// Deep pages cost the store and the index a scan of everything before them.
    /// </summary>
    public const int MaxWindow = 10_000;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>One page of a store query, newest (by <paramref name="sortBy"/>) first, as the API shows it.</summary>
    public async Task<Paged<TResponse>> QueryAsync<T, TResponse>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, string sortBy,
        Func<T, TResponse> respond, CancellationToken ct) where T : AggregateRoot
    {
        var (items, total, capped) = await store.PageAsync(new DocumentQuery
        {
            Filters = filters, SortBy = sortBy, Descending = true, Skip = Skip, Take = PageSize,
        }, ct);
        return new Paged<TResponse>(items.Select(respond).ToList(), total, Page, PageSize, capped);
    }

    public static Paging From(int? page, int? pageSize)
    {
        var v = new Validator()
            .Check(page is null or >= 1, "page", "page 从 1 开始 / page starts at 1.")
            .Check(pageSize is null or (>= 1 and <= MaxPageSize), "pageSize", $"pageSize 为 1–{MaxPageSize} / pageSize must be 1–{MaxPageSize}.");
        v.ThrowIfInvalid();
        v.Check((long)(page ?? 1) * (pageSize ?? 20) <= MaxWindow, "page",
            $"最多只能翻到第 {MaxWindow} 条，请缩小筛选范围 / Paging stops at result {MaxWindow}; narrow the filters.");
        v.ThrowIfInvalid();
        return new Paging(page ?? 1, pageSize ?? 20);
    }
}

public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>The <c>If-Match</c> precondition when the client sent one (actions that do not require it).</summary>
    public static IfMatch? OptionalIfMatch(HttpRequest request) => IfMatch.Parse(request.Headers.IfMatch);

    /// <summary>The <c>If-Match</c> precondition a write needs; a missing header is a 428.</summary>
    public static IfMatch RequiredIfMatch(HttpRequest request) => IfMatch.Parse(request.Headers.IfMatch)
        ?? throw new PreconditionRequiredException("修改需要 If-Match 头（取自 ETag）/ Updates need an If-Match header with the ETag you read.");
}

public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>
    /// The id a create with this key gets: derived from the caller and the key, so two requests
    /// with the same key race on one insert and exactly one creates the resource.
    /// </summary>
    public static Guid? ResourceId(HttpRequest request, string caller, string scope)
    {
        var key = request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key)) return null;
        if (key.Length > 200) throw ValidationFailedException.For(Header, "Idempotency-Key 不能超过 200 个字符 / Idempotency-Key is longer than 200 characters.");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{caller}\n{key}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>A fingerprint of the request body, to tell a true replay from a reused key.</summary>
    public static string Fingerprint(string canonicalBody) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalBody)));

    /// <summary>
    /// Inserts what a create request made. If its id exists (the id came from an Idempotency-Key
    /// that was used before), answers with what is stored when the request is the same — marking
    /// the response <c>Idempotent-Replayed</c> — and with 422 when the key was used for another body.
    /// </summary>
    public static async Task<T> InsertAsync<T>(HttpResponse response, AggregateStore<T> store, T created, string fingerprint,
        Func<T, string?> storedFingerprint, CancellationToken ct) where T : AggregateRoot
    {
        try
        {
            await store.InsertAsync(created, ct);
            return created;
        }
        catch (DocumentExistsException)
        {
            var existing = await store.FindAsync(created.StoreId, ct)
                ?? throw new ConflictException("资源刚被删除，请重试 / The resource was removed meanwhile; retry.");
            if (storedFingerprint(existing) != fingerprint)
                throw new IdempotencyKeyReusedException("该 Idempotency-Key 已用于另一个请求 / This Idempotency-Key was used for a different request.");
            response.Headers["Idempotent-Replayed"] = "true";
            return existing;
        }
    }
}
