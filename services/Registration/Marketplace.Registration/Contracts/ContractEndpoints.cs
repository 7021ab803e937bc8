using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Registration.Contracts;

public sealed record RegisterInput(string? Note);

public sealed record RefuseInput(IReadOnlyList<string>? Reasons, string? Note);

public sealed record NoteInput(string? Note);

public sealed record ReasonInput(string? Reason);

public static class ContractEndpoints
{
    private static readonly string[] SellerSide = [Roles.University, Roles.Enterprise, Roles.Broker];

    /// <summary>The refusal reasons of the Torch Centre list (2021-01-13); a registrar may also write one of their own.</summary>
    public static readonly IReadOnlyDictionary<string, string> RefusalCatalogue = new Dictionary<string, string>
    {
        ["invalid_or_not_in_force"] = "合同无效或者尚未生效",
        ["not_technology_contract"] = "不属于技术合同",
        ["terms_unclear"] = "当事人、标的、价款、报酬或使用费约定不明确",
        ["approval_missing"] = "缺少国家规定须经审批的批准文件",
        ["name_mismatch"] = "合同名称与权利义务不符且未按要求补正",
        ["restrictive_clauses"] = "含有非法垄断技术、妨碍技术进步的条款",
        ["proofs_missing"] = "证明材料缺失或不符合要求",
        ["seals_mismatch"] = "印章不全或与书面名称不符",
    };

    public static IEndpointRouteBuilder MapContractEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contracts").WithTags("Contracts 技术合同认定登记");
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(SellerSide))
            .WithSummary("起草登记申请 / Draft a registration application (seller's side)");
        group.MapPost("/precheck", Precheck).RequireAuthorization()
            .WithSummary("自查 / The rules engine's full answer without saving");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole([.. SellerSide, Roles.Registrar]))
            .WithSummary("申请列表 / mine=true for your organisation; queue=true for registrars");
        group.MapGet("/{id:guid}", Get).RequireAuthorization()
            .WithSummary("申请详情 / An application: its organisation and the point's registrars");
        group.MapPut("/{id:guid}", Edit).RequireAuthorization(p => p.RequireRole(SellerSide))
            .WithSummary("修改申请（需 If-Match）/ Edit a draft or a returned application");
        group.MapPost("/{id:guid}/submit", Submit).RequireAuthorization(p => p.RequireRole(SellerSide))
            .WithSummary("提交 / Submit (or resubmit after correction)");
        group.MapPost("/{id:guid}/register", Register).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .WithSummary("认定登记 / Register: a 16-digit number");
        group.MapPost("/{id:guid}/refuse", Refuse).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .WithSummary("不予登记 / Refuse with reasons");
        group.MapPost("/{id:guid}/return", Return).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .WithSummary("退回补正 / Return for correction");
        group.MapPost("/{id:guid}/revoke", Revoke).RequireAuthorization(p => p.RequireRole(Roles.Registrar))
            .WithSummary("撤销登记 / Revoke a registration");
        return app;
    }

    private static async Task<Created<ApplicationResponse>> Create(ApplicationInput input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var facts = ApplicationRules.Validate(input);
        var point = input.RegistrationPoint ?? user.SubMarket;
        if (point is null || !ReferenceData.IsSubMarket(point))
            throw ValidationFailedException.For("registrationPoint", $"未知的登记点（分市场代码）“{point}” / Unknown registration point.");
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var id = Idempotency.ResourceId(http.Request, user.Subject, "contract") ?? NewId.NextGuid();
        var application = ContractApplication.Draft(id, user, facts, input.DealId, point, user.IsDemo, fingerprint, service.Now);
        application = await Idempotency.InsertAsync(http.Response, service.Applications, application, fingerprint, a => a.RequestFingerprint, ct);
        http.Response.Headers.ETag = ETags.For(application.Version);
        return TypedResults.Created($"/api/contracts/{application.Id}", ApplicationResponse.From(application, service.Now));
    }

    private static Ok<PrecheckResponse> Precheck(ApplicationInput input, RegistrationService service)
    {
        var decision = service.Rules.Evaluate(ApplicationRules.Validate(input), DateOnly.FromDateTime(service.Now.ToOffset(ContractApplication.ChinaTime).DateTime));
        return TypedResults.Ok(new PrecheckResponse(decision, decision.Registrable, decision.Errors.ToList(), decision.RefusalReasons.ToList()));
    }

    private static async Task<Ok<Paged<ApplicationResponse>>> List(HttpContext http, RegistrationService service, CancellationToken ct,
        bool? mine, bool? queue, string? status, int? page, int? pageSize)
    {
        var user = MarketUser.Required(http.User);
        var paging = Paging.From(page, pageSize);
        var statusCode = WireCode.Parse<ApplicationStatus>(status, "status");
        var filters = new List<FieldFilter>();
        if (user.Role == Roles.Registrar)
        {
            if (mine == true) throw ValidationFailedException.For("mine", "登记员请用 queue=true 查看本登记点的申请 / Registrars use queue=true.");
            filters.Add(FieldFilter.Eq("registrationPoint", user.SubMarket ?? ""));
            filters.Add(FieldFilter.Eq("status", WireCode.Of(statusCode ?? ApplicationStatus.Submitted)));
            // the queue: oldest deadline first
            var (items, total) = await service.Applications.QueryAsync(new DocumentQuery
            {
                Filters = filters, SortBy = "decisionDue", Skip = paging.Skip, Take = paging.PageSize,
            }, ct);
            return TypedResults.Ok(new Paged<ApplicationResponse>(items.Select(a => ApplicationResponse.From(a, service.Now)).ToList(), total, paging.Page, paging.PageSize));
        }
        if (queue == true) throw new ForbiddenException("审核队列仅登记员可见 / The queue is for registrars.");
        filters.Add(FieldFilter.Eq("ownerOrg", user.Organisation));
        if (statusCode is { } s) filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        return TypedResults.Ok(await paging.QueryAsync(service.Applications, filters, "updatedAt", a => ApplicationResponse.From(a, service.Now), ct));
    }

    private static async Task<Ok<ApplicationResponse>> Get(Guid id, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await service.LoadAsync(id, ct);
        if (!application.IsOwnedBy(user) && !IsRegistrarOf(user, application))
            throw new ForbiddenException("仅申请单位和登记点登记员可见 / Only the applicant and the point's registrars see an application.");
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Edit(Guid id, ApplicationInput input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var expected = ETags.RequiredIfMatch(http.Request);
        var application = await service.ChangeAsync(id, expected, a => EnsureOwner(a, user), a =>
        {
            if (input.RegistrationPoint is { } point && point != a.RegistrationPoint)
                throw ValidationFailedException.For("registrationPoint", "登记点不能修改 / The registration point cannot change.");
            a.Edit(ApplicationRules.Validate(input), input.DealId, user, service.Now);
        }, ct);
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Submit(Guid id, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await service.ChangeAsync(id, ETags.OptionalIfMatch(http.Request), a => EnsureOwner(a, user),
            a => a.Submit(service.Rules, user, service.Now), ct);
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Register(Guid id, RegisterInput? input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        new Validator().Text(input?.Note, "note", "说明", 1000, required: false).ThrowIfInvalid();
        var application = await service.RegisterAsync(id, user, ETags.OptionalIfMatch(http.Request), input?.Note?.Trim(), ct);
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Refuse(Guid id, RefuseInput? input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await service.ChangeAsync(id, ETags.OptionalIfMatch(http.Request), a => EnsureRegistrar(a, user), a =>
        {
            var reasons = RefusalReasons(input, a, service);
            a.Refuse(reasons, string.IsNullOrWhiteSpace(input?.Note) ? null : input.Note.Trim(), user, service.Now);
        }, ct);
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Return(Guid id, NoteInput? input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await service.ChangeAsync(id, ETags.OptionalIfMatch(http.Request), a => EnsureRegistrar(a, user), a =>
        {
            new Validator().Text(input?.Note, "note", "补正要求", 1000, min: 2).ThrowIfInvalid();
            a.ReturnForCorrection(input!.Note!.Trim(), user, service.Now);
        }, ct);
        return Respond(http, application, service);
    }

    private static async Task<Ok<ApplicationResponse>> Revoke(Guid id, ReasonInput? input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await service.ChangeAsync(id, ETags.OptionalIfMatch(http.Request), a => EnsureRegistrar(a, user), a =>
        {
            new Validator().Text(input?.Reason, "reason", "撤销原因", 500, min: 2).ThrowIfInvalid();
            a.Revoke(input!.Reason!.Trim(), user, service.Now);
        }, ct);
        return Respond(http, application, service);
    }

    /// <summary>Each reason: a code of the catalogue, a refusal the rules found for this application, or the registrar's own words.</summary>
    private static List<string> RefusalReasons(RefuseInput? input, ContractApplication application, RegistrationService service)
    {
        var given = (input?.Reasons ?? []).Select(r => r?.Trim() ?? "").ToList();
        var v = new Validator().Check(given.Count is >= 1 and <= 10, "reasons", "请给出 1–10 条不予登记的理由 / Give 1–10 reasons.")
            .Text(input?.Note, "note", "说明", 1000, required: false);
        var found = service.Rules.Evaluate(application.Facts, application.ReceivedOn!.Value).RefusalReasons.ToDictionary(f => f.Code, f => $"{f.Message}（{f.RuleRef}）");
        var reasons = new List<string>();
        for (var i = 0; i < given.Count; i++)
        {
            var reason = given[i];
            if (RefusalCatalogue.TryGetValue(reason, out var text)) reasons.Add($"{reason}: {text}");
            else if (found.TryGetValue(reason, out var rule)) reasons.Add($"{reason}: {rule}");
            else if (reason.Length is >= 2 and <= 500 && !reason.All(c => char.IsAsciiLetterLower(c) || c == '_')) reasons.Add("other: " + reason);
            else v.Add($"reasons[{i}]", $"未知的理由代码“{reason}”；可用目录代码或写明理由 / Unknown reason code; use a catalogue code or write the reason out.");
        }
        v.ThrowIfInvalid();
        return reasons;
    }

    internal static bool IsRegistrarOf(MarketUser user, ContractApplication application) =>
        user.Role == Roles.Registrar && user.SubMarket == application.RegistrationPoint;

    private static void EnsureOwner(ContractApplication application, MarketUser user)
    {
        if (!application.IsOwnedBy(user)) throw new ForbiddenException("只能操作本单位的登记申请 / Only the applicant's organisation can do this.");
    }

    internal static void EnsureRegistrar(ContractApplication application, MarketUser user)
    {
        if (!IsRegistrarOf(user, application))
            throw new ForbiddenException($"只能处理本登记点（{user.SubMarket}）的申请 / Registrars act only on their own point's queue.");
    }

    private static Ok<ApplicationResponse> Respond(HttpContext http, ContractApplication application, RegistrationService service)
    {
        http.Response.Headers.ETag = ETags.For(application.Version);
        return TypedResults.Ok(ApplicationResponse.From(application, service.Now));
    }
}
