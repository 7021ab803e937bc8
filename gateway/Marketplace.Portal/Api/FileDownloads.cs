using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Marketplace.Portal.Api;

/// <summary>
/// The browser's way to a file's bytes (previews in the page, download links). The session cookie
/// cannot call the API, which takes bearer tokens, so the portal asks the API with the session's
/// token and streams its answer back as it comes — status, type, name, ETag, ranges — never holding
/// the file. Who may read what is the API's decision alone: a visitor without a session asks
/// without a token (a published listing's photos are public).
/// </summary>
public static class FileDownloads
{
    /// <summary>What conditional and range requests need (a PDF viewer reads a large file in ranges).</summary>
    private static readonly string[] PassedOn = ["Range", "If-Range", "If-None-Match", "If-Modified-Since"];

    private static readonly string[] PassedBack =
        ["Content-Type", "Content-Disposition", "Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified", "Cache-Control"];

    public static void MapFileDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/portal/files").ExcludeFromDescription();
        group.MapGet("/listings/{id:guid}/{fileId:guid}", (Guid id, Guid fileId, bool? download, HttpContext http, MarketApi api, AuthenticationStateProvider auth) =>
            ForwardAsync($"/api/listings/{id}/attachments/{fileId}", download, http, api, auth));
        group.MapGet("/contracts/{id:guid}/{fileId:guid}", (Guid id, Guid fileId, bool? download, HttpContext http, MarketApi api, AuthenticationStateProvider auth) =>
            ForwardAsync($"/api/contracts/{id}/documents/{fileId}", download, http, api, auth));
    }

    private static async Task ForwardAsync(string path, bool? download, HttpContext http, MarketApi api, AuthenticationStateProvider auth)
    {
        auth.UseRequestUser(http);
        var ct = http.RequestAborted;
        var headers = PassedOn.Where(http.Request.Headers.ContainsKey).Select(name => KeyValuePair.Create(name, http.Request.Headers[name].ToString()));
        using var answer = await api.OpenFileAsync(download == true ? path + "?download=true" : path, headers, ct);
        var response = http.Response;
        if (answer is null)
        {
            await ProblemPageAsync(response, StatusCodes.Status503ServiceUnavailable, "服务暂时不可用，请稍后重试。", ct);
            return;
        }
        var status = (int)answer.StatusCode;
        // the bytes, a part of them, "not modified", or a range the file does not have: as the API said
        if (answer.IsSuccessStatusCode || status is StatusCodes.Status304NotModified or StatusCodes.Status416RangeNotSatisfiable)
        {
            response.StatusCode = status;
            foreach (var name in PassedBack)
            {
                if (answer.Headers.NonValidated.TryGetValues(name, out var values) || answer.Content.Headers.NonValidated.TryGetValues(name, out values))
                    response.Headers[name] = new StringValues([.. values]);
            }
            await using var body = await answer.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(response.Body, ct);
            return;
        }
        var problem = await ApiProblem.FromAsync(answer, ct);
        await ProblemPageAsync(response, status, status switch
        {
            StatusCodes.Status401Unauthorized => "请先登录后再查看此文件。",
            StatusCodes.Status403Forbidden => "您无权查看此文件。",
            StatusCodes.Status404NotFound => "文件不存在，或已被删除。",
            _ => problem.Message,
        }, ct);
    }

    /// <summary>A short page in Chinese: it may show inside a preview frame, where a JSON problem would say nothing to the user.</summary>
    private static Task ProblemPageAsync(HttpResponse response, int status, string message, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>无法打开文件</title></head>" +
            $"<body><h1>无法打开文件</h1><p data-testid=\"file-problem\">{WebUtility.HtmlEncode(message)}</p><p><a href=\"/\">返回首页</a></p></body></html>", ct);
    }
}
