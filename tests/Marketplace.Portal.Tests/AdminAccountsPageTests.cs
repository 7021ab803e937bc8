using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The admin page's accounts: organisation names, search, disabling with a confirmation, and a new password typed twice.</summary>
public sealed class AdminAccountsPageTests : SignedInTestContext
{
    private static AccountView Li => new("li.ming", "李明", Roles.Enterprise, "demo-enterprise-org", false, false, null) { OrganisationName = "长沙示范智造有限公司" };

    private void Answer()
    {
        SignIn(Roles.Admin, "xxkj-platform");
        Api.On("GET /api/admin/accounts", Page(Li));
        Api.On("GET /api/admin/accounts?q=li&page=1&pageSize=20", Page(Li));
        Api.On("GET /api/admin/organisations", Page<OrganisationView>());
        Api.On("GET /api/working-calendar", Page<CalendarYearSummary>());
        Api.On("PUT /api/admin/accounts/li.ming/active", Li with { Active = false });
        Api.On("PUT /api/admin/accounts/li.ming/password", _ => new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
    }

    [Fact]
    public void An_admin_sees_the_organisation_by_name_and_searches_by_username()
    {
        Answer();
        var page = Render<Admin>();
        page.WaitForAssertion(() => Assert.Equal("长沙示范智造有限公司", page.Find("[data-testid=account-organisation]").TextContent));
        page.Find("[data-testid=account-q]").Change("li");
        page.Find("[data-testid=account-search]").Submit();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("GET", "/api/admin/accounts?q=li&")));
        Assert.NotEmpty(page.FindAll("[data-testid=account-search-clear]"));
    }

    [Fact]
    public void Disabling_asks_for_a_confirmation_first_then_says_it_is_done()
    {
        Answer();
        var page = Render<Admin>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=disable]")));
        page.Find("[data-testid=disable]").Click();
        Assert.Empty(Api.Sent("PUT", "/api/admin/accounts/li.ming/active"));
        Assert.Contains("确认停用", page.Find("[data-testid=account]").TextContent);
        page.Find("[data-testid=active-confirm]").Click();
        page.WaitForAssertion(() => Assert.Contains("已停用账户 li.ming", page.Find("[data-testid=notice]").TextContent));
        Assert.False(JsonDocument.Parse(Api.Sent("PUT", "/api/admin/accounts/li.ming/active").Single().Body!).RootElement.GetProperty("active").GetBoolean());
    }

    [Fact]
    public void A_new_password_typed_differently_twice_is_caught_before_sending_and_a_matching_one_is_set()
    {
        Answer();
        var page = Render<Admin>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=set-password]")));
        page.Find("[data-testid=set-password]").Click();
        page.Find("[data-testid=new-password]").Change("A-brand-new-long-secret");
        page.Find("[data-testid=confirm-password]").Change("A-brand-new-long-secreT");
        page.Find("[data-testid=password-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("两次输入的密码不一致", page.Find("[data-testid=password-form]").TextContent));
        Assert.Empty(Api.Sent("PUT", "/api/admin/accounts/li.ming/password"));

        page.Find("[data-testid=confirm-password]").Change("A-brand-new-long-secret");
        page.Find("[data-testid=password-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("已为账户 li.ming 设置新密码", page.Find("[data-testid=notice]").TextContent));
        Assert.Equal("A-brand-new-long-secret", JsonDocument.Parse(Api.Sent("PUT", "/api/admin/accounts/li.ming/password").Single().Body!).RootElement.GetProperty("password").GetString());
        Assert.Empty(page.FindAll("[data-testid=password-form]"));
    }
}
