using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Errors;

/// <summary>Maps every exception to RFC 9457 ProblemDetails; an unexpected one is a 500 without internals.</summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public const string TypeBase = "https://xiaoxiang-market.cn/problems/";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Map(exception);
        if (problem.Status >= 500) LogUnhandled(exception, context.Request.Path);
        context.Response.StatusCode = problem.Status ?? 500;
        if (exception is TooManyRequestsException tooMany)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(tooMany.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails Map(Exception exception) => exception switch
    {
        ValidationFailedException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            Status = 400, Type = TypeBase + "validation", Title = "请求参数有误 / Validation failed", Detail = v.Message,
        },
        NotFoundException e => Problem(404, "not-found", "资源不存在 / Not found", e.Message),
        UnauthorizedException e => Problem(401, "unauthorized", "未登录 / Unauthorized", e.Message),
        TooManyRequestsException e => Problem(429, "too-many-requests", "请求过于频繁 / Too many requests", e.Message),
        ForbiddenException e => Problem(403, "forbidden", "无权操作 / Forbidden", e.Message),
        ConflictException e => Problem(409, "conflict", "状态冲突 / Conflict", e.Message),
        ConcurrencyConflictException => Problem(409, "concurrent-update", "数据已被修改 / Modified concurrently",
            "该资源刚被他人修改，请刷新后重试 / The resource was changed by another request; reload and retry."),
        PreconditionFailedException e => Problem(412, "stale-version", "版本已过期 / Precondition failed", e.Message),
        PreconditionRequiredException e => Problem(428, "if-match-required", "缺少 If-Match / Precondition required", e.Message),
        IdempotencyKeyReusedException e => Problem(422, "idempotency-key-reused", "幂等键已被使用 / Idempotency-Key reused", e.Message),
        FileTooLargeException e => Problem(413, "file-too-large", "文件过大 / File too large", e.Message),
        UnsupportedFileTypeException e => Problem(415, "unsupported-file-type", "不支持的文件类型 / Unsupported file type", e.Message),
        UploadAbandonedException e => Problem(408, "upload-abandoned", "上传超时 / Upload abandoned", e.Message),
        UnsupportedMediaTypeException e => Problem(415, "unsupported-media-type", "不支持的请求格式 / Unsupported media type", e.Message),
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException { StatusCode: 413 } => Problem(413, "too-large", "请求体过大 / Payload too large",
            "请求体超过允许的大小 / The request body is larger than allowed."),
        BadHttpRequestException e when BindingFailure(e.Message) is { } binding => binding,
        BadHttpRequestException e => Problem(e.StatusCode, "bad-request", "请求无效 / Bad request", e.Message),
        _ => Problem(500, "internal", "服务器内部错误 / Internal error", "请求未能完成，请稍后重试 / The request could not be completed."),
    };

    private static ProblemDetails JsonProblem(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [$"无法解析的 JSON 或取值 / Malformed JSON or a value of the wrong type or code (line {json.LineNumber + 1})."],
        })
        {
            Status = 400, Type = TypeBase + "malformed-json", Title = "请求体不是有效的 JSON / Malformed request body",
            Detail = "请求体无法解析 / The request body could not be read.",
        };
    }

    /// <summary>
    /// A query, route or header value minimal APIs could not bind (<c>page=abc</c>, <c>page=2147483648</c>)
    /// as a validation error naming the parameter. The exception carries the name only in its message.
    /// </summary>
    private static HttpValidationProblemDetails? BindingFailure(string message)
    {
        var failed = FailedToBind().Match(message);
        var missing = failed.Success ? null : RequiredMissing().Match(message);
        var match = failed.Success ? failed : missing!.Success ? missing : null;
        if (match is null) return null;
        var name = match.Groups["name"].Value;
        var value = failed.Groups["value"].Value is { Length: > 40 } text ? text[..40] + "…" : failed.Groups["value"].Value;
        var error = failed.Success
            ? $"“{value}”不是有效的 {name} 取值 / '{value}' is not a valid {name} ({match.Groups["type"].Value.TrimEnd('?')})."
            : $"缺少参数 {name} / {name} is required.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [error] })
        {
            Status = 400, Type = TypeBase + "validation", Title = "请求参数有误 / Validation failed", Detail = error,
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" was not provided from")]
    private static partial Regex RequiredMissing();

    private static ProblemDetails Problem(int status, string type, string title, string detail) =>
        new() { Status = status, Type = TypeBase + type, Title = title, Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private partial void LogUnhandled(Exception exception, string path);
}
