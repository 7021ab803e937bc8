using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>Tax staff recording a verification (记录核验) are told that it was recorded.</summary>
public sealed class TaxNoticeTests : SignedInTestContext
{
    private const string Number = "2026430100000123";

    [Fact]
    public void Recording_a_verification_says_so_in_a_status_notice_and_adds_the_row()
    {
        SignIn(Roles.Tax, "tax-changsha");
        var check = new TaxCheck(DateTimeOffset.UtcNow, "demo-tax", "长税核〔2026〕18号", null, "valid");
        var recorded = false;
        Api.On($"GET /api/verify/{Number}", new VerificationView { RegistrationNumber = Number, Status = VerificationStatus.Valid });
        Api.On($"GET /api/verify/{Number}/checks", _ => FakeApi.Json(new TaxCheckList(recorded ? [check] : [])));
        Api.On($"POST /api/verify/{Number}/checks", _ => { recorded = true; return FakeApi.Json(check, System.Net.HttpStatusCode.Created); });

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("number", Number));
        var page = Render<Tax>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tax-record]")));
        Assert.Empty(page.FindAll("[data-testid=tax-recorded]"));

        page.Find("[data-testid=tax-case]").Change("长税核〔2026〕18号");
        page.Find("[data-testid=tax-record]").Click();
        page.WaitForAssertion(() => Assert.Contains("已记录核验", page.Find("[data-testid=tax-recorded]").TextContent));
        Assert.Equal("status", page.Find("[data-testid=tax-recorded]").GetAttribute("role"));
        Assert.Contains("长税核〔2026〕18号", page.Find("[data-testid=tax-recorded]").TextContent);
        Assert.Single(page.FindAll("[data-testid=tax-checks] tbody tr"));
    }

    [Fact]
    public void A_refused_recording_shows_no_success_notice()
    {
        SignIn(Roles.Tax, "tax-changsha");
        Api.On($"GET /api/verify/{Number}", new VerificationView { RegistrationNumber = Number, Status = VerificationStatus.Valid });
        Api.On($"GET /api/verify/{Number}/checks", new TaxCheckList([]));
        Api.Problem($"POST /api/verify/{Number}/checks", System.Net.HttpStatusCode.BadRequest, "请求有误 / Bad request",
            errors: new() { ["caseReference"] = ["请填写税务事项编号 / Give the case reference."] });

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("number", Number));
        var page = Render<Tax>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tax-record]")));
        page.Find("[data-testid=tax-record]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(Api.Sent("POST", $"/api/verify/{Number}/checks")));
        page.WaitForAssertion(() => Assert.Contains("请填写税务事项编号", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=tax-recorded]"));
    }
}
