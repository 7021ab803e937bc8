using System.Net;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Gateway.Tests;

/// <summary>The portal's sign-in form: where each user lands, and what a failed attempt keeps.</summary>
public sealed class SignInLandingTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private HttpClient Browser() => gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> PostSignIn(HttpClient browser, string username, string password, string? returnUrl)
    {
        var page = await browser.GetStringAsync("/signin");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["username"] = username, ["password"] = password };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(form));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("//evil.example")]
    public async Task An_operator_with_no_page_to_go_back_to_lands_on_the_dashboard(string? returnUrl)
    {
        using var browser = Browser();
        var signedIn = await PostSignIn(browser, "demo-operator", "Demo!2026", returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/operator/dashboard", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_operator_sent_to_sign_in_from_a_page_goes_back_to_it_and_others_still_land_on_the_home_page()
    {
        using var operatorBrowser = Browser();
        Assert.Equal("/review", (await PostSignIn(operatorBrowser, "demo-operator", "Demo!2026", "/review")).Headers.Location!.OriginalString);
        using var enterprise = Browser();
        Assert.Equal("/", (await PostSignIn(enterprise, "demo-enterprise", "Demo!2026", null)).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_with_the_username_still_filled_in_and_the_password_empty()
    {
        using var browser = Browser();
        var wrong = await PostSignIn(browser, "demo-university", "not-the-password", "/my/listings");
        Assert.StartsWith("/signin?error=failed", wrong.Headers.Location!.OriginalString);

        var page = await browser.GetStringAsync(wrong.Headers.Location!.OriginalString);
        Assert.Contains("用户名或密码错误", page);
        Assert.Matches("<input id=\"username\"[^>]*value=\"demo-university\"", page);
        Assert.DoesNotContain("not-the-password", page);
        Assert.Matches("<input id=\"password\"(?![^>]*value=)[^>]*>", page);

        // signed in at last, the next visit to the page starts empty again
        Assert.Equal("/my/listings", (await PostSignIn(browser, "demo-university", "Demo!2026", "/my/listings")).Headers.Location!.OriginalString);
        Assert.DoesNotMatch("value=\"demo-university\"", await browser.GetStringAsync("/signin?error=failed"));
    }

    [Fact]
    public async Task A_disabled_account_is_told_so_on_the_sign_in_page_and_gets_no_session()
    {
        using var api = gateway.CreateClient();
        var admin = await gateway.SignIn("demo-admin");
        await (await api.Send(HttpMethod.Post, "/api/admin/accounts", admin, new
        {
            username = "portal-disabled", displayName = "停用测试", password = "Portal-disabled-secret", role = "enterprise", organisationId = "demo-enterprise-org",
        })).Expect(201);
        await (await api.Send(HttpMethod.Put, "/api/admin/accounts/portal-disabled/active", admin, new { active = false })).Expect(200);

        using var browser = Browser();
        var refused = await PostSignIn(browser, "portal-disabled", "Portal-disabled-secret", null);
        Assert.StartsWith("/signin?error=disabled", refused.Headers.Location!.OriginalString);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], v => v.StartsWith("xxkj.session", StringComparison.Ordinal));
        Assert.Contains("该账户已停用", await browser.GetStringAsync(refused.Headers.Location!.OriginalString));
    }
}
