using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.ServiceDefaults.Json;
using Microsoft.AspNetCore.Components.Authorization;

namespace Marketplace.Portal.Api;

/// <summary>
/// The portal's typed client of the market's public API (the same routes any client uses),
/// with the signed-in user's token, which lives in the server-side session only.
/// </summary>
public sealed class MarketApi(HttpClient http, AuthenticationStateProvider authentication, PortalVisitor visitor)
{
    public static JsonSerializerOptions Json => MarketJson.Wire;

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Get, path, ct: ct);

    public Task<ApiResult<PagedList<T>>> GetPageAsync<T>(string path, int page, int pageSize, CancellationToken ct = default) =>
        GetAsync<PagedList<T>>(PagedList<T>.PathOf(path, page, pageSize), ct);

    /// <summary>Every item of a list, page after page of the largest size the API allows: for exports and the deal board.</summary>
    public async Task<ApiResult<IReadOnlyList<T>>> GetAllAsync<T>(string path, CancellationToken ct = default)
    {
        var items = new List<T>();
        for (var page = 1; ; page++)
        {
            var result = await GetPageAsync<T>(path, page, PagedList<T>.MaxPageSize, ct);
            if (result.Problem is { } problem) return new ApiResult<IReadOnlyList<T>>(null, problem, null);
            var answer = result.Value!;
            items.AddRange(answer.Items);
            // an empty page ends it too: rows removed meanwhile must not make it ask forever
            if (answer.Items.Count == 0 || items.Count >= answer.Total) return new ApiResult<IReadOnlyList<T>>(items, null, null);
        }
    }

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body = null, long? ifMatch = null,
        string? idempotencyKey = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        var token = (await authentication.GetAuthenticationStateAsync()).User.FindFirst(PortalClaims.AccessToken)?.Value;
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (visitor.Address is { } address) request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        if (ifMatch is { } expected) request.Headers.TryAddWithoutValidation("If-Match", $"\"{expected}\"");
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var version = response.Headers.ETag?.Tag.Trim('"') is { } tag && long.TryParse(tag, out var v) ? v : (long?)null;
            if (response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
                    return new ApiResult<T>(default, null, version);
                var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
                return new ApiResult<T>(value, null, version);
            }
            return new ApiResult<T>(default, await ApiProblem.FromAsync(response, ct), version);
        }
        catch (HttpRequestException)
        {
            return new ApiResult<T>(default, ApiProblem.Unreachable, null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ApiResult<T>(default, ApiProblem.Unreachable, null);
        }
        catch (JsonException)
        {
            return new ApiResult<T>(default, ApiProblem.Unreadable, null);
        }
    }
}

public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, long? Version)
{
    public bool Ok => Problem is null;
}

/// <summary>A ProblemDetails answer (or a lost connection), as the portal shows it.</summary>
/// <param name="RetryAfter">when a refused request may be made again (429's Retry-After)</param>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, TimeSpan? RetryAfter = null)
{
    public static readonly ApiProblem Unreachable = new(0, "无法连接到服务，请检查网络后重试 / The market could not be reached; try again.", null, new Dictionary<string, string[]>());
    public static readonly ApiProblem Unreadable = new(0, "服务返回了无法识别的内容，请重试 / The answer could not be read; try again.", null, new Dictionary<string, string[]>());

    /// <summary>A lost connection or a server fault: the user may simply try again.</summary>
    public bool CanRetry => Status is 0 or >= 500;

    /// <summary>Someone else changed the thing since it was loaded (412): reload before changing it.</summary>
    public bool IsStale => Status == 412;

    /// <summary>What to show at the top of the form: the reason, never a stack trace.</summary>
    public string Message => Status switch
    {
        0 => Title,
        412 => "该信息已被他人修改，请重新加载后再操作 / Someone else changed this since you opened it; reload it first.",
        >= 500 => "服务暂时不可用，请稍后重试 / The market could not complete this just now; try again.",
        _ when Errors.Count > 0 => "请修改标出的内容后再提交 / Correct the marked fields and try again.",
        _ => Detail is { Length: > 0 } detail ? detail : Title,
    };

    /// <summary>The message for one field (camelCase name, as the API reports it), if any.</summary>
    public string? For(string field) =>
        Errors.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join("；", messages)
            : null;

    public static async Task<ApiProblem> FromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ProblemBody>(MarketApi.Json, ct);
            var errors = new Dictionary<string, string[]>(body?.Errors ?? [], StringComparer.OrdinalIgnoreCase);
            return new ApiProblem(status, body?.Title ?? response.ReasonPhrase ?? "请求失败", body?.Detail, errors, retryAfter);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return new ApiProblem(status, response.ReasonPhrase ?? "请求失败 / The request failed.", null, new Dictionary<string, string[]>(), retryAfter);
        }
    }
}

/// <summary>The parts of an RFC 9457 ProblemDetails the portal shows.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
