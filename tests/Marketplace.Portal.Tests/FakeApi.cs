using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>
/// The market's API as a page meets it: answers by method and path (query left out unless the
/// route names one), and a record of every request the page made.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new();

    public ConcurrentQueue<Request> Requests { get; } = new();

    public sealed record Request(string Method, string PathAndQuery, string? IfMatch, string? Body);

    /// <summary>Answers <paramref name="route"/> ("GET /api/interests/…", with or without its query) with a JSON value.</summary>
    public FakeApi On(string route, object? value, HttpStatusCode status = HttpStatusCode.OK, long? version = null) =>
        On(route, _ => Json(value, status, version));

    public FakeApi On(string route, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _routes[route] = answer;
        return this;
    }

    /// <summary>A ProblemDetails answer, as the API's one handler writes them.</summary>
    public FakeApi Problem(string route, HttpStatusCode status, string title, string? detail = null, Dictionary<string, string[]>? errors = null) =>
        On(route, _ => ProblemAnswer(status, title, detail, errors));

    public static HttpResponseMessage Json(object? value, HttpStatusCode status = HttpStatusCode.OK, long? version = null)
    {
        var response = new HttpResponseMessage(status) { Content = JsonContent.Create(value, value?.GetType() ?? typeof(object), options: MarketApi.Json) };
        if (version is { } v) response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue($"\"{v}\"");
        return response;
    }

    public static HttpResponseMessage ProblemAnswer(HttpStatusCode status, string title, string? detail = null, Dictionary<string, string[]>? errors = null) =>
        new(status)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { title, status = (int)status, detail, errors }, MarketApi.Json),
                Encoding.UTF8, "application/problem+json"),
        };

    public IEnumerable<Request> Sent(string method, string pathStart) =>
        Requests.Where(r => r.Method == method && r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Enqueue(new Request(request.Method.Method, uri.PathAndQuery, request.Headers.TryGetValues("If-Match", out var m) ? m.Single() : null,
            request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
        var answer = _routes.GetValueOrDefault($"{request.Method.Method} {uri.PathAndQuery}") ?? _routes.GetValueOrDefault($"{request.Method.Method} {uri.AbsolutePath}");
        return answer is null ? ProblemAnswer(HttpStatusCode.NotFound, "未找到 / Not found") : answer(request);
    }
}

/// <summary>A bUnit context with a signed-in user of the market (their token and claims) and the fake API behind <see cref="MarketApi"/>.</summary>
public abstract class SignedInTestContext : PortalTestContext
{
    protected FakeApi Api { get; } = new();

    protected SignedInTestContext()
    {
        Services.AddSingleton(sp => new MarketApi(new HttpClient(Api) { BaseAddress = new Uri("http://market.test") },
            sp.GetRequiredService<AuthenticationStateProvider>(), new PortalVisitor(new Microsoft.AspNetCore.Http.HttpContextAccessor())));
    }

    /// <summary>Signs in a user of <paramref name="organisation"/> with <paramref name="role"/>.</summary>
    protected void SignIn(string role, string organisation, string subject = "demo-user", string? organisationName = null, string? subMarket = null)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(subject);
        auth.SetRoles(role);
        Claim[] claims =
        [
            new Claim(PortalClaims.AccessToken, "token-of-" + subject),
            new Claim(MarketClaims.Role, role),
            new Claim(MarketClaims.Subject, subject),
            new Claim(MarketClaims.Organisation, organisation),
            new Claim(MarketClaims.OrganisationName, organisationName ?? organisation),
        ];
        auth.SetClaims(subMarket is null ? claims : [.. claims, new Claim(MarketClaims.SubMarket, subMarket)]);
    }

    /// <summary>A page of a list, as every list of the API answers.</summary>
    protected static PagedList<T> Page<T>(params T[] items) => new() { Items = items, Total = items.Length, Page = 1, PageSize = 20 };
}
