using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Listing.Interests;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Listing.Listings;

internal static class ListingEndpoints
{
    public static IEndpointRouteBuilder MapListingEndpoints(this IEndpointRouteBuilder app)
    {
        // every route answers 401 to a missing or bad token and 403 to a caller who may not act or see
        var group = app.MapGroup("/api/listings").WithTags("Listings 挂牌信息").ProducesProblems(401, 403);
        string[] posters = [Roles.University, Roles.Enterprise];

        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(posters))
            .ProducesProblems(400, 413, 415, 422)
            .WithSummary("发布信息（草稿）/ Create a listing as a draft");
        group.MapGet("/", List).AllowAnonymous()
            .ProducesProblems(400)
            .WithSummary("信息列表 / List listings: published to anyone, mine=true for your organisation, status= for operators");
        group.MapGet("/{id:guid}", Get).AllowAnonymous()
            .ProducesProblems(404)
            .WithSummary("信息详情 / A listing: published to anyone, otherwise owner or operator");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(p => p.RequireRole(posters))
            .ProducesProblems(400, 404, 409, 412, 413, 415, 428)
            .WithSummary("修改信息（需 If-Match）/ Edit a listing; a published one goes back to review");
        group.MapPost("/{id:guid}/submit", Submit).RequireAuthorization(p => p.RequireRole(posters))
            .ProducesProblems(400, 404, 409, 412)
            .WithSummary("提交审核 / Submit for review");
        group.MapPost("/{id:guid}/withdraw", Withdraw).RequireAuthorization(p => p.RequireRole(posters))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("撤回 / Withdraw from review or from the market");
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400, 404, 409, 412)
            .WithSummary("审核通过 / Approve (operators of the listing's sub-market)");
        group.MapPost("/{id:guid}/reject", Reject).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("驳回 / Reject with a reason (operators of the listing's sub-market)");
        group.MapPost("/{id:guid}/proposals", Propose).RequireAuthorization(p => p.RequireRole(Roles.University))
            .ProducesProblems(400, 404, 409, 413, 415)
            .WithSummary("揭榜 / Answer an open challenge with a proposal");
        group.MapPost("/{id:guid}/award", AwardChallenge).RequireAuthorization(p => p.RequireRole(posters))
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("确定揭榜方 / Award an open challenge to a proposal");
        return app;
    }

    private static async Task<Created<ListingResponse>> Create(ListingInput input, MarketUser user, HttpContext http, ListingService listings, CancellationToken ct)
    {
        var now = listings.Now;
        var draft = ListingRules.New(input, user, now);
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var id = Idempotency.ResourceId(http.Request, user.Subject, "listing") ?? NewId.NextGuid();
        var listing = Listing.Create(id, draft.Kind, draft.SubMarket, draft.Content, user, user.IsDemo, fingerprint, now);
        // a replay of the same Idempotency-Key answers with the listing it created
        listing = await Idempotency.InsertAsync(http.Response, listings.Store, listing, fingerprint, l => l.RequestFingerprint, ct);
        http.Response.Headers.ETag = ETags.For(listing.Version);
        return TypedResults.Created($"/api/listings/{listing.Id}", ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)));
    }

    private static async Task<OkWithETag<ListingResponse>> Get(Guid id, MarketUser? user, ListingService listings, CancellationToken ct)
    {
        var listing = await listings.LoadVisibleAsync(id, user, ct);
        return MarketResults.OkWithETag(await listings.RespondAsync(listing, user, ct), listing.Version);
    }

    private static async Task<Ok<Paged<ListingResponse>>> List(MarketUser? user, ListingService listings, CancellationToken ct,
        bool? mine, string? status, string? kind, string? subMarket, string? field, int? page, int? pageSize)
    {
        var paging = Paging.From(page, pageSize);
        var filter = ListingRules.Filter(mine, status, kind, subMarket, field);
        return TypedResults.Ok(await listings.ListAsync(filter, user, paging, ct));
    }

    private static async Task<OkWithETag<ListingResponse>> Update(Guid id, ListingInput input, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        var expected = ETags.RequiredIfMatch(request);
        var listing = await listings.ChangeAsOwnerAsync(id, user, expected, l =>
        {
            var now = listings.Now;
            l.Edit(ListingRules.Edited(input, l, now), user, now);
        }, ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }

    private static async Task<OkWithETag<ListingResponse>> Submit(Guid id, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(request), l => l.Submit(user, listings.Now), ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }

    private static async Task<OkWithETag<ListingResponse>> Withdraw(Guid id, ReasonInput? input, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        var reason = ListingRules.OptionalReason(input);
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(request), l => l.Withdraw(user, reason, listings.Now), ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }

    private static async Task<OkWithETag<ListingResponse>> Approve(Guid id, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        var listing = await listings.ChangeAsOperatorAsync(id, user, ETags.OptionalIfMatch(request), l => l.Approve(user, listings.Now), ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }

    private static async Task<OkWithETag<ListingResponse>> Reject(Guid id, ReasonInput? input, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        // the body is checked after who may act and whether the listing exists (403/404 before 400)
        var listing = await listings.ChangeAsOperatorAsync(id, user, ETags.OptionalIfMatch(request),
            l => l.Reject(user, ListingRules.RequiredReason(input), listings.Now), ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }

    private static async Task<Created<Proposal>> Propose(Guid id, ProposalInput input, MarketUser user, ListingService listings, CancellationToken ct)
    {
        Proposal? proposal = null;
        await listings.ChangeAsVisitorAsync(id, user, l =>
        {
            var (summary, approach, quoted, contact) = ListingRules.Validate(input);
            proposal = l.AddProposal(user, summary, approach, quoted, contact, NewId.NextGuid(), listings.Now);
        }, ct);
        return TypedResults.Created($"/api/listings/{id}", proposal!);
    }

    private static async Task<OkWithETag<ListingResponse>> AwardChallenge(Guid id, AwardInput input, MarketUser user, HttpRequest request, ListingService listings, CancellationToken ct)
    {
        var listing = await listings.ChangeAsOwnerAsync(id, user, ETags.OptionalIfMatch(request), l =>
        {
            var (proposalId, amount, note) = ListingRules.Validate(input);
            l.AwardTo(user, proposalId, amount, note, listings.Now);
        }, ct);
        return MarketResults.OkWithETag(ListingResponse.From(listing, user, ContactRelease.ByRole(listing, user)), listing.Version);
    }
}
