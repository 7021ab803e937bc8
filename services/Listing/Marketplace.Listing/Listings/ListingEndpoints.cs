using System.Text.Json;
using Marketplace.Contracts;
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

namespace Marketplace.Listing.Listings;

public static class ListingEndpoints
{
    public static IEndpointRouteBuilder MapListingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/listings").WithTags("Listings 挂牌信息");
        string[] posters = [Roles.University, Roles.Enterprise];

        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(posters))
            .WithSummary("发布信息（草稿）/ Create a listing as a draft");
        group.MapGet("/", List).AllowAnonymous()
            .WithSummary("信息列表 / List listings: published to anyone, mine=true for your organisation, status= for operators");
        group.MapGet("/{id:guid}", Get).AllowAnonymous()
            .WithSummary("信息详情 / A listing: published to anyone, otherwise owner or operator");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(p => p.RequireRole(posters))
            .WithSummary("修改信息（需 If-Match）/ Edit a listing; a published one goes back to review");
        group.MapPost("/{id:guid}/submit", Submit).RequireAuthorization(p => p.RequireRole(posters))
            .WithSummary("提交审核 / Submit for review");
        group.MapPost("/{id:guid}/withdraw", Withdraw).RequireAuthorization(p => p.RequireRole(posters))
            .WithSummary("撤回 / Withdraw from review or from the market");
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .WithSummary("审核通过 / Approve (operators of the listing's sub-market)");
        group.MapPost("/{id:guid}/reject", Reject).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .WithSummary("驳回 / Reject with a reason (operators of the listing's sub-market)");
        group.MapPost("/{id:guid}/proposals", Propose).RequireAuthorization(p => p.RequireRole(Roles.University))
            .WithSummary("揭榜 / Answer an open challenge with a proposal");
        group.MapPost("/{id:guid}/award", AwardChallenge).RequireAuthorization(p => p.RequireRole(posters))
            .WithSummary("确定揭榜方 / Award an open challenge to a proposal");
        return app;
    }

    private static async Task<Results<Created<ListingResponse>, ProblemHttpResult>> Create(
        ListingInput input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var now = listings.Now;
        var content = ListingRules.Validate(input, now, user.OrganisationName);
        var subMarket = input.SubMarket ?? user.SubMarket;
        if (!ReferenceData.IsSubMarket(subMarket))
            throw ValidationFailedException.For("subMarket", $"未知的分市场代码“{subMarket}” / Unknown sub-market code.");

        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var id = Idempotency.ResourceId(http.Request, user.Subject, "listing") ?? NewId.NextGuid();
        var listing = Listing.Create(id, input.Kind!.Value, subMarket!, content, user, user.IsDemo, fingerprint, now);
        // a replay of the same Idempotency-Key answers with the listing it created
        listing = await Idempotency.InsertAsync(http.Response, listings.Store, listing, fingerprint, l => l.RequestFingerprint, ct);
        http.Response.Headers.ETag = ETags.For(listing.Version);
        return TypedResults.Created($"/api/listings/{listing.Id}", ListingResponse.From(listing, user));
    }

    private static async Task<Ok<ListingResponse>> Get(Guid id, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.From(http.User);
        var listing = await listings.LoadAsync(id, ct);
        if (!listing.IsVisibleTo(user))
        {
            if (user is null) throw new UnauthorizedException();
            await listings.LoadVisibleAsync(id, user, ct);
        }
        return Respond(http, listing, user);
    }

    private static async Task<Ok<Paged<ListingResponse>>> List(
        HttpContext http, ListingService listings, CancellationToken ct,
        bool? mine, string? status, string? kind, string? subMarket, string? field, int? page, int? pageSize)
    {
        var user = MarketUser.From(http.User);
        var paging = Paging.From(page, pageSize);
        var filters = new List<FieldFilter>();
        var statusCode = WireCode.Parse<ListingStatus>(status, "status");
        var kindCode = WireCode.Parse<ListingKind>(kind, "kind");
        if (subMarket is not null && !ReferenceData.IsSubMarket(subMarket))
            throw ValidationFailedException.For("subMarket", $"未知的分市场代码“{subMarket}” / Unknown sub-market code.");
        if (field is not null && !ReferenceData.IsField(field))
            throw ValidationFailedException.For("field", $"未知的技术领域代码“{field}” / Unknown field code.");

        if (mine == true)
        {
            if (user is null) throw new UnauthorizedException();
            filters.Add(FieldFilter.Eq("ownerOrg", user.Organisation));
            if (statusCode is { } s) filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        }
        else if (statusCode is { } s && s != ListingStatus.Published)
        {
            // Unpublished listings of others: the review queues of operators.
            if (user is null) throw new UnauthorizedException();
            if (user.Role != Roles.Operator)
                throw new ForbiddenException("只有运营人员可以按审核状态查看他人信息；查看本单位信息请用 mine=true / Only operators list others' unpublished listings; use mine=true for your own.");
            if (s == ListingStatus.Draft) throw new ForbiddenException("草稿仅发布单位可见 / Drafts are private to their owner.");
            subMarket = user.OperatorScope(subMarket, "待审信息");
            filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        }
        else
        {
            filters.Add(FieldFilter.Eq("status", WireCode.Of(ListingStatus.Published)));
        }
        if (kindCode is { } k) filters.Add(FieldFilter.Eq("kind", WireCode.Of(k)));
        if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
        if (field is not null) filters.Add(FieldFilter.Eq("field", field));

        return TypedResults.Ok(await paging.QueryAsync(listings.Store, filters, "updatedAt", l => ListingResponse.From(l, user), ct));
    }

    private static async Task<Ok<ListingResponse>> Update(Guid id, ListingInput input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var expected = ETags.RequiredIfMatch(http.Request);
        var listing = await listings.ChangeAsOwnerAsync(id, user, expected, l =>
        {
            if (input.Kind is { } kind && kind != l.Kind)
                throw ValidationFailedException.For("kind", "类型不能修改 / kind cannot change; create a new listing instead.");
            if (input.SubMarket is { } sm && sm != l.SubMarket)
                throw ValidationFailedException.For("subMarket", "所属分市场不能修改 / subMarket cannot change.");
            var content = ListingRules.Validate(input with { Kind = l.Kind }, listings.Now, l.OwnerOrgName);
            l.Edit(content, user, listings.Now);
        }, ct);
        return Respond(http, listing, user);
    }

    private static async Task<Ok<ListingResponse>> Submit(Guid id, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(http.Request), l => l.Submit(user, listings.Now), ct);
        return Respond(http, listing, user);
    }

    private static async Task<Ok<ListingResponse>> Withdraw(Guid id, ReasonInput? input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var reason = ListingRules.OptionalReason(input);
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(http.Request), l => l.Withdraw(user, reason, listings.Now), ct);
        return Respond(http, listing, user);
    }

    private static async Task<Ok<ListingResponse>> Approve(Guid id, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var listing = await listings.ChangeAsOperatorAsync(id, user, ETags.OptionalIfMatch(http.Request), l => l.Approve(user, listings.Now), ct);
        return Respond(http, listing, user);
    }

    private static async Task<Ok<ListingResponse>> Reject(Guid id, ReasonInput? input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        // the body is checked after who may act and whether the listing exists (403/404 before 400)
        var listing = await listings.ChangeAsOperatorAsync(id, user, ETags.OptionalIfMatch(http.Request),
            l => l.Reject(user, ListingRules.RequiredReason(input), listings.Now), ct);
        return Respond(http, listing, user);
    }

    private static async Task<Created<Proposal>> Propose(Guid id, ProposalInput input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        Proposal? proposal = null;
        await listings.ChangeAsVisitorAsync(id, user, l =>
        {
            var (summary, approach, quoted, contact) = ListingRules.Validate(input);
            proposal = l.AddProposal(user, summary, approach, quoted, contact, NewId.NextGuid(), listings.Now);
        }, ct);
        return TypedResults.Created($"/api/listings/{id}", proposal!);
    }

    private static async Task<Ok<ListingResponse>> AwardChallenge(Guid id, AwardInput input, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(http.Request), l =>
        {
            var v = new Validator().Check(input.ProposalId is not null, "proposalId", "请选择揭榜方案 / proposalId is required.")
                .Text(input.Note, "note", "说明", 1000, required: false);
            if (input.Amount is { } amount)
                v.Check(amount >= 0 && amount <= ListingRules.MoneyCeiling && decimal.Round(amount, 2) == amount, "amount", "金额为 0 至 1000 亿元、最多两位小数 / amount must be 0–100 billion yuan with at most two decimals.");
            v.ThrowIfInvalid();
            l.AwardTo(user, input.ProposalId!.Value, input.Amount, input.Note?.Trim(), listings.Now);
        }, ct);
        return Respond(http, listing, user);
    }

    private static Ok<ListingResponse> Respond(HttpContext http, Listing listing, MarketUser? user)
    {
        http.Response.Headers.ETag = ETags.For(listing.Version);
        return TypedResults.Ok(ListingResponse.From(listing, user));
    }


}
