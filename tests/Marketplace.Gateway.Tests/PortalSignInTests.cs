using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Gateway.Tests;

/// <summary>The portal's sign-in form: where it sends the user afterwards.</summary>
public sealed class PortalSignInTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private async Task<HttpResponseMessage> PostSignIn(HttpClient browser, string returnUrl)
    {
        var page = await browser.GetStringAsync("/signin");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        return await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["username"] = "demo-enterprise", ["password"] = "Demo!2026", ["returnUrl"] = returnUrl,
        }));
    }

    [Theory]
    [InlineData("/my\tlistings")]
    [InlineData("/my\nlistings")]
    [InlineData("/my\rlistings")]
    [InlineData("/my\u3000listings")]
    [InlineData("/my listings")]
    [InlineData("/\t/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil")]
    [InlineData("https://evil.example")]
    [InlineData("evil.example")]
    [InlineData("/my\u0085listings")]
    [InlineData("/搜索")]
    [InlineData("/")]
    public async Task A_return_address_that_is_not_a_plain_local_path_signs_in_and_lands_on_the_home_page(string returnUrl)
    {
        using var browser = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await PostSignIn(browser, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), v => v.StartsWith("xxkj.session", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/my/listings")]
    [InlineData("/search?q=%E7%94%B5%E6%B1%A0&page=2")]
    public async Task A_local_path_is_followed(string returnUrl)
    {
        using var browser = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(returnUrl, (await PostSignIn(browser, returnUrl)).Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/my\tlistings")]
    [InlineData("//evil.example")]
    public async Task The_sign_in_page_never_carries_a_bad_return_address_into_its_form(string returnUrl)
    {
        var page = await gateway.CreateClient().GetStringAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Contains("name=\"returnUrl\" value=\"/\"", page);
    }
}
