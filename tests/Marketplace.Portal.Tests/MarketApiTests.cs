using System.Net;
using System.Security.Claims;
using Marketplace.Portal.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Portal.Tests;

/// <summary>The portal's calls to the API name the visitor they are made for.</summary>
public sealed class MarketApiTests
{
    private sealed class Anonymous : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private sealed class Recording : HttpMessageHandler
    {
        public List<string?> ForwardedFor { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ForwardedFor.Add(request.Headers.TryGetValues("X-Forwarded-For", out var values) ? values.Single() : null);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }

    [Fact]
    public async Task An_anonymous_visitors_calls_carry_their_address_so_the_API_limits_them_and_not_the_portal()
    {
        var handler = new Recording();
        var visitor = new PortalVisitor(new HttpContextAccessor()) { Address = "203.0.113.9" };
        var api = new MarketApi(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080") }, new Anonymous(), visitor);
        await api.GetAsync<object>("/api/search?q=电池");
        Assert.Equal("203.0.113.9", Assert.Single(handler.ForwardedFor));
    }

    [Fact]
    public async Task The_address_comes_from_the_request_when_no_page_named_one()
    {
        var handler = new Recording();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.4");
        var api = new MarketApi(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:8080") }, new Anonymous(),
            new PortalVisitor(new HttpContextAccessor { HttpContext = context }));
        await api.GetAsync<object>("/api/search?q=电池");
        Assert.Equal("198.51.100.4", Assert.Single(handler.ForwardedFor));
    }
}
