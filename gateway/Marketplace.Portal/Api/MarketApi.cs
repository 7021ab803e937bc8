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
        using var request = await RequestAsync(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        if (ifMatch is { } expected) request.Headers.TryAddWithoutValidation("If-Match", $"\"{expected}\"");
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return await ReadAsync<T>(request, ct);
    }

    /// <summary>
    /// Uploads one file as <c>multipart/form-data</c>: the field <c>kind</c>, then the field <c>file</c> (the API,
    /// like S3's POST uploads, wants the file last). The bytes go on as they are read from <paramref name="content"/>,
    /// never held whole; <paramref name="sent"/> hears how many have gone so far.
    /// </summary>
    public async Task<ApiResult<FileView>> UploadAsync(string path, FileKind kind, string fileName, string? contentType, Stream content,
        Action<long>? sent = null, CancellationToken ct = default)
    {
        using var request = await RequestAsync(HttpMethod.Post, path);
        var file = new StreamContent(new CountingStream(content, sent));
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        request.Content = new MultipartFormDataContent
        {
            { new StringContent(Wire.Of(kind)), "kind" },
            { file, "file", fileName },
        };
        return await ReadAsync<FileView>(request, ct);
    }

    /// <summary>
    /// A file's bytes as the API answers them — status, headers and an unread body (any status: 206, 304, a
    /// problem) — for the portal to stream on to the browser; null when the API cannot be reached.
    /// </summary>
    /// <param name="headers">request headers to pass on (Range, If-None-Match, …)</param>
    public async Task<HttpResponseMessage?> OpenFileAsync(string path, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A request with the user's token and the visitor's address (the API limits visitors, not the portal).</summary>
    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        var token = (await authentication.GetAuthenticationStateAsync()).User.FindFirst(PortalClaims.AccessToken)?.Value;
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (visitor.Address is { } address) request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        return request;
    }

    private async Task<ApiResult<T>> ReadAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
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

/// <summary>A read-only stream that tells how many bytes have been read from it so far.</summary>
internal sealed class CountingStream(Stream inner, Action<long>? read) : Stream
{
    private long _count;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Counted(int n)
    {
        if (n > 0)
        {
            _count += n;
            read?.Invoke(_count);
        }
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, long? Version)
{
    public bool Ok => Problem is null;
}

/// <summary>A ProblemDetails answer (or a lost connection), as the portal shows it.</summary>
/// <param name="RetryAfter">when a refused request may be made again (429's Retry-After)</param>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, TimeSpan? RetryAfter = null)
{
    public static readonly ApiProblem Unreachable = new(0, "无法连接到服务，请检查网络后重试", null, new Dictionary<string, string[]>());
    public static readonly ApiProblem Unreadable = new(0, "服务返回了无法识别的内容，请重试", null, new Dictionary<string, string[]>());

    /// <summary>A lost connection or a server fault: the user may simply try again.</summary>
    public bool CanRetry => Status is 0 or >= 500;

    /// <summary>Someone else changed the thing since it was loaded (412): reload before changing it.</summary>
    public bool IsStale => Status == 412;

    /// <summary>What to show at the top of the form: the reason, never a stack trace.</summary>
    public string Message => Status switch
    {
        0 => Title,
        412 => "该信息已被他人修改，请重新加载后再操作",
        >= 500 => "服务暂时不可用，请稍后重试",
        _ when Errors.Count > 0 => "请修改标出的内容后再提交",
        _ => Detail is { Length: > 0 } detail ? detail : Title,
    };

    /// <summary>The Chinese half of one of the API's "中文 / English" texts: the portal speaks Chinese only.</summary>
    public static string Chinese(string text) => Components.Shared.Labels.Chinese(text);

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
            // the API writes every reason as "中文 / English"; the portal shows the Chinese half
            var errors = (body?.Errors ?? []).ToDictionary(e => e.Key, e => e.Value.Select(Chinese).ToArray(), StringComparer.OrdinalIgnoreCase);
            return new ApiProblem(status, body?.Title is { Length: > 0 } title ? Chinese(title) : "请求失败", body?.Detail is { } detail ? Chinese(detail) : null, errors, retryAfter);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return new ApiProblem(status, "请求失败", null, new Dictionary<string, string[]>(), retryAfter);
        }
    }
}

/// <summary>The parts of an RFC 9457 ProblemDetails the portal shows.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
