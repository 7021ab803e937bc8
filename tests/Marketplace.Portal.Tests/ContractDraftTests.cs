using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>保存草稿 and 删除草稿 (issue 18 item 3): no untitled drafts, one draft per form, and a draft its owner can throw away.</summary>
public sealed class ContractDraftTests : SignedInTestContext
{
    private static readonly Guid DraftId = Guid.Parse("c0de0000-0000-0000-0000-0000000000d1");

    private static ApplicationView Draft(long version, string title = "牵引电机故障诊断算法技术开发合同", ApplicationStatus status = ApplicationStatus.Draft, Guid? id = null) =>
        new() { Id = id ?? DraftId, Version = version, Status = status, Title = title, Type = ContractType.Development };

    [Fact]
    public void Saving_a_draft_without_a_title_says_so_and_creates_nothing()
    {
        SignIn(Roles.University, "demo-university-org");
        var page = Render<ContractEditor>();

        page.Find("[data-testid=c-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("请至少填写合同名称", page.Find("[data-testid=error-title]").TextContent));
        Assert.Contains("请修改标出的内容", page.Find("[data-testid=problem]").TextContent);
        Assert.Empty(Api.Sent("POST", "/api/contracts"));

        page.Find("[data-testid=c-title]").Change("   ");
        page.Find("[data-testid=c-save]").Click();
        Assert.Empty(Api.Sent("POST", "/api/contracts"));
    }

    [Fact]
    public void A_second_save_on_the_same_form_updates_the_draft_it_created()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("POST /api/contracts", Draft(1), HttpStatusCode.Created, version: 1);
        Api.On($"PUT /api/contracts/{DraftId}", Draft(2, "牵引电机故障诊断算法技术开发合同（修订）"), version: 2);
        var page = Render<ContractEditor>();

        page.Find("[data-testid=c-title]").Change("牵引电机故障诊断算法技术开发合同");
        page.Find("[data-testid=c-save]").Click();
        page.WaitForAssertion(() => Assert.Single(Api.Sent("POST", "/api/contracts")));
        page.Find("[data-testid=c-title]").Change("牵引电机故障诊断算法技术开发合同（修订）");
        page.Find("[data-testid=c-save]").Click();

        page.WaitForAssertion(() => Assert.Single(Api.Sent("PUT", $"/api/contracts/{DraftId}")));
        Assert.Single(Api.Sent("POST", "/api/contracts"));
        var update = Api.Sent("PUT", $"/api/contracts/{DraftId}").Single();
        Assert.Equal("\"1\"", update.IfMatch);
        Assert.Equal("牵引电机故障诊断算法技术开发合同（修订）", (string)System.Text.Json.Nodes.JsonNode.Parse(update.Body!)!["title"]!);
    }

    [Fact]
    public void The_owner_deletes_a_draft_after_confirming_it()
    {
        SignIn(Roles.University, "demo-university-org");
        var submittedId = Guid.NewGuid();
        var remaining = new List<ApplicationView> { Draft(4), Draft(7, "已提交的合同", ApplicationStatus.Submitted, submittedId) };
        Api.On("GET /api/contracts", _ => FakeApi.Json(Page(remaining.ToArray())));
        Api.On($"DELETE /api/contracts/{DraftId}", _ =>
        {
            remaining.RemoveAll(a => a.Id == DraftId);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        });
        var page = Render<Marketplace.Portal.Components.Pages.Contracts>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=contract]").Count));

        // only the draft offers it
        Assert.Empty(page.FindAll($"[data-id='{submittedId}'] [data-testid=c-delete]"));
        page.Find($"[data-id='{DraftId}'] [data-testid=c-delete]").Click();
        Assert.Contains("确认删除草稿“牵引电机故障诊断算法技术开发合同”", page.Find("[data-testid=delete-confirm]").TextContent);
        page.Find("[data-testid=delete-cancel]").Click();
        Assert.Empty(page.FindAll("[data-testid=delete-confirm]"));
        Assert.Empty(Api.Sent("DELETE", "/api/contracts"));

        page.Find($"[data-id='{DraftId}'] [data-testid=c-delete]").Click();
        page.Find("[data-testid=delete-confirmed]").Click();

        page.WaitForAssertion(() => Assert.Contains("草稿“牵引电机故障诊断算法技术开发合同”已删除", page.Find("[data-testid=notice]").TextContent));
        Assert.Equal("\"4\"", Assert.Single(Api.Sent("DELETE", $"/api/contracts/{DraftId}")).IfMatch);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=contract]")));
    }

    [Fact]
    public void A_draft_the_API_will_not_delete_stays_with_the_reason_shown()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("GET /api/contracts", Page(Draft(4)));
        Api.Problem($"DELETE /api/contracts/{DraftId}", HttpStatusCode.PreconditionFailed, "版本已过期", "申请已被修改（当前版本 5），请刷新后重试");
        var page = Render<Marketplace.Portal.Components.Pages.Contracts>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=contract]")));

        page.Find("[data-testid=c-delete]").Click();
        page.Find("[data-testid=delete-confirmed]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=problem]")));
        Assert.Empty(page.FindAll("[data-testid=notice]"));
        Assert.Single(page.FindAll("[data-testid=contract]"));
    }
}
