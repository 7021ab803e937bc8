using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Listing.Interests;

internal static class InterestEndpoints
{
    private const string Tag = "Interests 对接意向";

    public static IEndpointRouteBuilder MapInterestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/listings/{id:guid}/interests", Express).WithTags(Tag)
            .RequireAuthorization(p => p.RequireRole(Roles.Enterprise, Roles.University, Roles.Broker))
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422, 429)
            .WithSummary("提交对接意向 / Express interest in a published listing of another organisation (Idempotency-Key honoured)");

        // every route needs sign-in (401); 404 to whoever may not know an interest exists, 403 to a party with the wrong role in it
        var group = app.MapGroup("/api/interests").WithTags(Tag).RequireAuthorization().ProducesProblems(401, 403);
        group.MapGet("/", List)
            .ProducesProblems(400)
            .WithSummary("对接意向列表 / Interests my organisation sent (box=sent) or received (box=received), newest first");
        group.MapGet("/funnel", Funnel).RequireAuthorization(p => p.RequireRole(Roles.Operator))
            .ProducesProblems(400)
            .WithSummary("对接转化漏斗 / Interests, accepted, deals and registered contracts per sub-market (operators)");
        group.MapGet("/{id:guid}", Get)
            .ProducesProblems(404)
            .WithSummary("对接意向详情 / An interest: its parties, the deal's broker and the sub-market's operators");
        group.MapPost("/{id:guid}/accept", Accept)
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("接受对接 / The listing's owner accepts: the contact is released to the sender and a deal is opened");
        group.MapPost("/{id:guid}/decline", Decline)
            .ProducesProblems(400, 404, 409, 412, 413, 415)
            .WithSummary("拒绝对接 / The listing's owner declines, with a reason");
        group.MapPost("/{id:guid}/withdraw", Withdraw)
            .ProducesProblems(400, 404, 409, 412)
            .WithSummary("撤回对接意向 / The sender withdraws an open interest");
        group.MapGet("/{id:guid}/messages", Messages)
            .ProducesProblems(400, 404)
            .WithSummary("留言列表 / The messages of an interest, oldest first");
        group.MapPost("/{id:guid}/messages", Post)
            .ProducesProblems(400, 404, 409, 413, 415, 422)
            .WithSummary("留言 / A message to the other party (and the deal's broker), while the interest is open or accepted");
        return app;
    }

    private static async Task<Results<Created<InterestResponse>, ProblemHttpResult>> Express(Guid id, InterestInput? input, MarketUser user, HttpContext http,
        InterestService interests, CancellationToken ct)
    {
        try
        {
            var (interest, replayed) = await interests.ExpressAsync(id, input, user, http.Request, ct);
            if (replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            http.Response.Headers.ETag = ETags.For(interest.Version);
            return TypedResults.Created($"/api/interests/{interest.Id}", InterestResponse.For(interest, user, await interests.CountMessagesAsync(interest.Id, ct)));
        }
        catch (OwnListingException e)
        {
            // 422: well formed, but not a thing one does with one's own listing; the shared handler has no 422 of this kind
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, type: ProblemDetailsExceptionHandler.TypeBase + "own-listing",
                title: "不能对本单位的信息提交对接意向 / Your own listing", detail: e.Message);
        }
    }

    private static async Task<Ok<Paged<InterestResponse>>> List(MarketUser user, InterestService interests, CancellationToken ct,
        string? box, string? status, int? page, int? pageSize)
    {
        var which = InterestRules.Box(box);
        var statusCode = InterestRules.Status(status);
        return TypedResults.Ok(await interests.ListAsync(which, statusCode, user, Paging.From(page, pageSize), ct));
    }

    private static async Task<Ok<FunnelResponse>> Funnel(MarketUser user, InterestService interests, CancellationToken ct, string? subMarket) =>
        TypedResults.Ok(await interests.FunnelAsync(user, subMarket, ct));

    private static async Task<OkWithETag<InterestResponse>> Get(Guid id, MarketUser user, InterestService interests, CancellationToken ct) =>
        await Respond(await interests.LoadVisibleAsync(id, user, ct), user, interests, ct);

    private static async Task<OkWithETag<InterestResponse>> Accept(Guid id, AcceptInput? input, MarketUser user, HttpRequest request, InterestService interests, CancellationToken ct) =>
        await Respond(await interests.AcceptAsync(id, input, user, ETags.OptionalIfMatch(request), ct), user, interests, ct);

    private static async Task<OkWithETag<InterestResponse>> Decline(Guid id, DeclineInput? input, MarketUser user, HttpRequest request, InterestService interests, CancellationToken ct) =>
        await Respond(await interests.DeclineAsync(id, input, user, ETags.OptionalIfMatch(request), ct), user, interests, ct);

    private static async Task<OkWithETag<InterestResponse>> Withdraw(Guid id, MarketUser user, HttpRequest request, InterestService interests, CancellationToken ct) =>
        await Respond(await interests.WithdrawAsync(id, user, ETags.OptionalIfMatch(request), ct), user, interests, ct);

    private static async Task<Ok<Paged<InterestMessageResponse>>> Messages(Guid id, MarketUser user, InterestService interests, CancellationToken ct,
        int? page, int? pageSize)
    {
        var paging = Paging.From(page, pageSize);
        return TypedResults.Ok(await interests.MessagesAsync(id, user, paging, ct));
    }

    private static async Task<Created<InterestMessageResponse>> Post(Guid id, MessageInput? input, MarketUser user, HttpRequest request, InterestService interests, CancellationToken ct)
    {
        var message = await interests.PostMessageAsync(id, input, user, request, ct);
        return TypedResults.Created($"/api/interests/{id}/messages", InterestMessageResponse.From(message));
    }

    private static async Task<OkWithETag<InterestResponse>> Respond(Interest interest, MarketUser user, InterestService interests, CancellationToken ct) =>
        MarketResults.OkWithETag(InterestResponse.For(interest, user, await interests.CountMessagesAsync(interest.Id, ct)), interest.Version);
}
