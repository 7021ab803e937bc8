using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Registration.Deals;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage.Files;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Registration.Applications;

/// <summary>
/// <c>/api/contracts</c>: registration applications. Every route needs sign-in (401); all but the
/// precheck check the caller's role or rights (403); a route with a JSON body also answers 400, 413 and 415.
/// </summary>
internal static class ContractEndpoints
{
    private static readonly string[] SellerSide = [Roles.University, Roles.Enterprise, Roles.Broker];

    public static IEndpointRouteBuilder MapContractEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contracts").WithTags("Contracts 技术合同认定登记")
            .ProducesProblems(401);
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(SellerSide))
            .ProducesProblems(400, 403, 413, 415, 422)
            .WithSummary("起草登记申请 / Draft a registration application (seller's side)");
        group.MapPost("/precheck", Precheck).RequireAuthorization()
            .ProducesProblems(400, 413, 415)
            .WithSummary("自查 / The rules engine's full answer without saving");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole([.. SellerSide, Roles.Registrar]))
            .ProducesProblems(400, 403)
            .WithSummary("申请列表 / mine=true for your organisation; queue=true for registrars");
        group.MapGet("/{id:guid}", Get).RequireAuthorization()
            .ProducesProblems(403, 404)
            .WithSummary("申请详情 / An application: its organisation and the point's registrars");
        group.MapPut("/{id:guid}", Edit).RequireAuthorization(p => p.RequireRole(SellerSide))
            .ProducesProblems(400, 403, 404, 409, 412, 413, 415, 422, 428)
            .WithSummary("修改申请（需 If-Match）/ Edit a draft or a returned application");
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(p => p.RequireRole(SellerSide))
            .ProducesProblems(400, 403, 404, 409, 412)
            .WithSummary("删除草稿（仅申请单位，仅草稿）/ Delete a draft, with its documents");
        group.MapPost("/{id:guid}/submit", Submit).RequireAuthorization(p => p.RequireRole(SellerSide))
            .ProducesProblems(400, 403, 404, 409, 412)
            .WithSummary("提交 / Submit (or resubmit after correction)");
        group.MapPost("/{id:guid}/register", Register).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .ProducesProblems(400, 403, 404, 409, 412, 413, 415)
            .WithSummary("认定登记 / Register: a 16-digit number");
        group.MapPost("/{id:guid}/refuse", Refuse).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .ProducesProblems(400, 403, 404, 409, 412, 413, 415)
            .WithSummary("不予登记 / Refuse with reasons");
        group.MapPost("/{id:guid}/return", Return).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .ProducesProblems(400, 403, 404, 409, 412, 413, 415)
            .WithSummary("退回补正 / Return for correction");
        group.MapPost("/{id:guid}/revoke", Revoke).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .ProducesProblems(400, 403, 404, 409, 412, 413, 415)
            .WithSummary("撤销登记 / Revoke a registration");
        return app;
    }

    private static async Task<Results<Created<ApplicationResponse>, ProblemHttpResult>> Create(ApplicationInput input, MarketUser user, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        ContractApplication draft;
        try
        {
            draft = await service.DraftAsync(input, user, Idempotency.ResourceId(http.Request, user.Subject, "contract") ?? NewId.NextGuid(), fingerprint, ct);
        }
        catch (DealNotLinkableException e)
        {
            return NotLinkable(e);
        }
        var application = await Idempotency.InsertAsync(http.Response, service.Applications, draft, fingerprint, a => a.RequestFingerprint, ct);
        http.Response.Headers.ETag = ETags.For(application.Version);
        return TypedResults.Created($"/api/contracts/{application.Id}", ApplicationResponse.From(application, service.Now));
    }

    private static async Task<Ok<PrecheckResponse>> Precheck(ApplicationInput input, RegistrationService service, CancellationToken ct)
    {
        var decision = await service.PrecheckAsync(input, ct);
        return TypedResults.Ok(new PrecheckResponse(decision, decision.Registrable, decision.Errors.ToList(), decision.RefusalReasons.ToList()));
    }

    private static async Task<Ok<Paged<ApplicationResponse>>> List(MarketUser user, RegistrationService service, CancellationToken ct,
        bool? mine, bool? queue, string? status, int? page, int? pageSize)
    {
        var found = await service.ListAsync(user, mine, queue, status, Paging.From(page, pageSize), ct);
        var now = service.Now;
        return TypedResults.Ok(new Paged<ApplicationResponse>(found.Items.Select(a => ApplicationResponse.From(a, now)).ToList(), found.Total, found.Page, found.PageSize));
    }

    private static async Task<OkWithETag<ApplicationResponse>> Get(Guid id, MarketUser user, RegistrationService service, CancellationToken ct) =>
        Respond(await service.ReadAsync(id, user, ct), service);

    private static async Task<Results<OkWithETag<ApplicationResponse>, ProblemHttpResult>> Edit(Guid id, ApplicationInput input, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct)
    {
        try
        {
            return Respond(await service.EditAsync(id, ETags.RequiredIfMatch(request), input, user, ct), service);
        }
        catch (DealNotLinkableException e)
        {
            return NotLinkable(e);
        }
    }

    private static async Task<NoContent> Delete(Guid id, MarketUser user, HttpRequest request, RegistrationService service,
        [FromKeyedServices(RegistrationModule.StoreKey)] IFileStore files, CancellationToken ct)
    {
        await service.DeleteDraftAsync(id, ETags.OptionalIfMatch(request), user, files, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// 422: the request is well formed, but the deal it names cannot be linked to this applicant.
    /// Answered here rather than by the shared handler, which has no 422 of this kind.
    /// </summary>
    private static ProblemHttpResult NotLinkable(DealNotLinkableException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemDetailsExceptionHandler.TypeBase + "deal-not-linkable",
            title: "不能关联该交易 / The deal cannot be named", detail: e.Message,
            extensions: new Dictionary<string, object?> { ["dealId"] = e.DealId });

    private static async Task<OkWithETag<ApplicationResponse>> Submit(Guid id, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct) =>
        Respond(await service.SubmitAsync(id, ETags.OptionalIfMatch(request), user, ct), service);

    private static async Task<OkWithETag<ApplicationResponse>> Register(Guid id, RegisterInput? input, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct) =>
        Respond(await service.RegisterAsync(id, ETags.OptionalIfMatch(request), input, user, ct), service);

    private static async Task<OkWithETag<ApplicationResponse>> Refuse(Guid id, RefuseInput? input, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct) =>
        Respond(await service.RefuseAsync(id, ETags.OptionalIfMatch(request), input, user, ct), service);

    private static async Task<OkWithETag<ApplicationResponse>> Return(Guid id, NoteInput? input, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct) =>
        Respond(await service.ReturnAsync(id, ETags.OptionalIfMatch(request), input, user, ct), service);

    private static async Task<OkWithETag<ApplicationResponse>> Revoke(Guid id, ReasonInput? input, MarketUser user, HttpRequest request, RegistrationService service, CancellationToken ct) =>
        Respond(await service.RevokeAsync(id, ETags.OptionalIfMatch(request), input, user, ct), service);

    private static OkWithETag<ApplicationResponse> Respond(ContractApplication application, RegistrationService service) =>
        MarketResults.OkWithETag(ApplicationResponse.From(application, service.Now), application.Version);
}
