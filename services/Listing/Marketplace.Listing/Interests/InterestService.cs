using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Listing.Interests;

/// <summary>Expresses, decides and reads interests, with who may do what; the rules of each change are the aggregate's.</summary>
internal sealed class InterestService(
    AggregateStore<Interest> interests,
    AggregateStore<InterestMessage> messages,
    InterestAdmission admission,
    ListingService listings,
    TimeProvider time)
{
    public const string Collection = "interests";
    public const string MessagesCollection = "interest_messages";

    /// <summary>How long a replay of an Idempotency-Key waits for the request that is creating the interest.</summary>
    private static readonly TimeSpan ReplayWait = TimeSpan.FromSeconds(5);

    public AggregateStore<Interest> Store => interests;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// A new interest in a listing. Checks come first (404 unknown listing, 422 one's own, 400 the body,
    /// 409 not published or one still open); only then are the open slot and a day's slot taken and
    /// the interest inserted, and a failure after a take gives it back: a refused request changes nothing.
    /// </summary>
    /// <returns>the interest, and whether it is a replay of an Idempotency-Key.</returns>
    public async Task<(Interest Interest, bool Replayed)> ExpressAsync(Guid listingId, InterestInput? input, MarketUser sender, HttpRequest request, CancellationToken ct)
    {
        var fingerprint = Idempotency.Fingerprint($"{listingId:N}\n{JsonSerializer.Serialize(input, MarketJson.Wire)}");
        var keyed = Idempotency.ResourceId(request, sender.Subject, "interest");
        if (keyed is { } replayId && await interests.FindAsync(replayId.ToString(), ct) is { } earlier)
            return (Replay(earlier, fingerprint), true);

        var listing = await listings.LoadAsync(listingId, ct);
        if (listing.OwnerOrg == sender.Organisation) throw new OwnListingException();
        var terms = InterestRules.Terms(input);
        var now = Now;
        var interest = Interest.Express(keyed ?? NewId.NextSequentialGuid(), listing, sender, terms, fingerprint, now);

        if (!await admission.TakeOpenSlotAsync(listingId, sender.Organisation, interest.Id, now, ct))
            return (Replay(await AwaitReplayAsync(interest.Id, ct), fingerprint), true);
        string quota;
        try
        {
            quota = await admission.TakeDailySlotAsync(sender.Organisation, now, ct);
        }
        catch
        {
            await admission.ReleaseOpenSlotAsync(listingId, sender.Organisation, interest.Id, CancellationToken.None);
            throw;
        }
        try
        {
            await interests.InsertAsync(interest, ct);
            return (interest, false);
        }
        catch (DocumentExistsException)
        {
            // a request with the same Idempotency-Key stored it first: the slot in the listing is that interest's
            await admission.GiveBackDailySlotAsync(quota, CancellationToken.None);
            return (Replay(await Load(interest.Id, ct), fingerprint), true);
        }
        catch
        {
            await admission.GiveBackDailySlotAsync(quota, CancellationToken.None);
            await admission.ReleaseOpenSlotAsync(listingId, sender.Organisation, interest.Id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>An interest the caller may read; to anyone else it does not exist (404).</summary>
    public async Task<Interest> LoadVisibleAsync(Guid id, MarketUser user, CancellationToken ct)
    {
        var interest = await interests.FindAsync(id.ToString(), ct);
        if (interest is null || !interest.IsVisibleTo(user)) throw NotFound(id);
        return interest;
    }

    public async Task<Interest> AcceptAsync(Guid id, AcceptInput? input, MarketUser user, IfMatch? ifMatch, CancellationToken ct)
    {
        var accepted = await interests.ChangeAsync(t => Load(id, t), ifMatch, i => AuthorizeOwner(i, user), async i =>
        {
            // the contact released is the listing's as it is now; a listing that left the market takes no acceptance
            var listing = await listings.LoadAsync(i.ListingId, ct);
            if (listing.Status != ListingStatus.Published)
                throw new ConflictException($"该信息已不在发布中（{WireCode.Of(listing.Status)}），不能接受对接 / The listing is no longer published ('{WireCode.Of(listing.Status)}'); an interest in it cannot be accepted.");
            i.Accept(user, input?.WithoutBroker == true, listing.Content.Contact, Now);
        }, ct);
        await admission.ReleaseOpenSlotAsync(accepted.ListingId, accepted.FromOrg, accepted.Id, ct);
        return accepted;
    }

    public async Task<Interest> DeclineAsync(Guid id, DeclineInput? input, MarketUser user, IfMatch? ifMatch, CancellationToken ct)
    {
        // who may act and whether it exists are answered before the body is read (404/403 before 400)
        var declined = await interests.ChangeAsync(t => Load(id, t), ifMatch, i => AuthorizeOwner(i, user),
            i => i.Decline(user, InterestRules.Reason(input), Now), ct);
        await admission.ReleaseOpenSlotAsync(declined.ListingId, declined.FromOrg, declined.Id, ct);
        return declined;
    }

    public async Task<Interest> WithdrawAsync(Guid id, MarketUser user, IfMatch? ifMatch, CancellationToken ct)
    {
        var withdrawn = await interests.ChangeAsync(t => Load(id, t), ifMatch, i =>
        {
            if (!i.IsVisibleTo(user)) throw NotFound(id);
            if (!i.IsSender(user)) throw new ForbiddenException("只有提出对接意向的单位可以撤回 / Only the organisation that expressed the interest can withdraw it.");
        }, i => i.Withdraw(user, Now), ct);
        await admission.ReleaseOpenSlotAsync(withdrawn.ListingId, withdrawn.FromOrg, withdrawn.Id, ct);
        return withdrawn;
    }

    /// <summary>One page of the interests my organisation sent or received, newest first.</summary>
    public async Task<Paged<InterestResponse>> ListAsync(InterestBox box, InterestStatus? status, MarketUser user, Paging paging, CancellationToken ct)
    {
        var filters = new List<FieldFilter> { FieldFilter.Eq(box == InterestBox.Sent ? "fromOrg" : "toOrg", user.Organisation) };
        if (status is { } s) filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        var (items, total) = await interests.QueryAsync(new DocumentQuery
        {
            Filters = filters, SortBy = "createdKey", Descending = true, Skip = paging.Skip, Take = paging.PageSize,
        }, ct);
        var page = new List<InterestResponse>(items.Count);
        foreach (var interest in items) page.Add(InterestResponse.For(interest, user, await CountMessagesAsync(interest.Id, ct)));
        return new Paged<InterestResponse>(page, total, paging.Page, paging.PageSize);
    }

    public Task<long> CountMessagesAsync(Guid interestId, CancellationToken ct) => CountAsync(messages, [FieldFilter.Eq("interestId", interestId.ToString())], ct);

    /// <summary>A message by a party or the deal's broker; operators read but do not write (403), others do not see it (404).</summary>
    public async Task<InterestMessage> PostMessageAsync(Guid id, MessageInput? input, MarketUser author, HttpRequest request, CancellationToken ct)
    {
        var interest = await LoadVisibleAsync(id, author, ct);
        if (!interest.TakesMessagesFrom(author))
            throw new ForbiddenException("运营人员可以查看留言，但不能代双方留言 / Operators read the messages of an interest but do not write them.");
        var text = InterestRules.Text(input);
        var fingerprint = Idempotency.Fingerprint($"{id:N}\n{text}");
        var message = interest.Post(Idempotency.ResourceId(request, author.Subject, "interest-message") ?? NewId.NextSequentialGuid(), author, text, fingerprint, Now);
        return await Idempotency.InsertAsync(request.HttpContext.Response, messages, message, fingerprint, m => m.RequestFingerprint, ct);
    }

    /// <summary>One page of an interest's messages, oldest first.</summary>
    public async Task<Paged<InterestMessageResponse>> MessagesAsync(Guid id, MarketUser user, Paging paging, CancellationToken ct)
    {
        var interest = await LoadVisibleAsync(id, user, ct);
        var (items, total) = await messages.QueryAsync(new DocumentQuery
        {
            Filters = [FieldFilter.Eq("interestId", interest.Id.ToString())], SortBy = "createdKey", Skip = paging.Skip, Take = paging.PageSize,
        }, ct);
        return new Paged<InterestMessageResponse>(items.Select(InterestMessageResponse.From).ToList(), total, paging.Page, paging.PageSize);
    }

    /// <summary>
    /// The introduction funnel per sub-market: interests expressed, accepted, with a deal opened, with a
    /// registered contract. Counted by the store over index fields; no interest is read. An operator of
    /// a city sub-market sees its own only; an operator of the provincial market one or all.
    /// </summary>
    public async Task<FunnelResponse> FunnelAsync(MarketUser operatorUser, string? subMarket, CancellationToken ct)
    {
        var scope = operatorUser.OperatorScope(InterestRules.SubMarket(subMarket), "对接统计");
        var codes = scope is null ? ReferenceData.SubMarkets.Select(s => s.Code).ToList() : [scope];
        var rows = new List<FunnelRow>(codes.Count);
        foreach (var code in codes)
        {
            var inSubMarket = FieldFilter.Eq("subMarket", code);
            rows.Add(new FunnelRow(code,
                await CountAsync(interests, [inSubMarket], ct),
                await CountAsync(interests, [inSubMarket, FieldFilter.Eq("status", WireCode.Of(InterestStatus.Accepted))], ct),
                await CountAsync(interests, [inSubMarket, FieldFilter.Eq("hasDeal", "true")], ct),
                await CountAsync(interests, [inSubMarket, FieldFilter.Eq("registered", "true")], ct)));
        }
        var totals = new FunnelRow(null, rows.Sum(r => r.Interests), rows.Sum(r => r.Accepted), rows.Sum(r => r.Deals), rows.Sum(r => r.Registered));
        return new FunnelResponse(rows, totals);
    }

    /// <summary>How many documents match, without reading them (one is read: a store's limit of 0 may mean no limit).</summary>
    public static async Task<long> CountAsync<T>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, CancellationToken ct) where T : AggregateRoot =>
        (await store.QueryAsync(new DocumentQuery { Filters = filters, Take = 1 }, ct)).Total;

    private static void AuthorizeOwner(Interest interest, MarketUser user)
    {
        if (!interest.IsVisibleTo(user)) throw NotFound(interest.Id);
        if (!interest.IsOwner(user))
            throw new ForbiddenException("只有信息的发布单位可以答复对接意向 / Only the organisation that owns the listing answers an interest in it.");
    }

    private async Task<Interest> Load(Guid id, CancellationToken ct) =>
        await interests.FindAsync(id.ToString(), ct) ?? throw NotFound(id);

    private static NotFoundException NotFound(Guid id) => new($"对接意向 {id} 不存在 / Interest {id} does not exist.");

    private static Interest Replay(Interest earlier, string fingerprint) => earlier.RequestFingerprint == fingerprint
        ? earlier
        : throw new IdempotencyKeyReusedException("该 Idempotency-Key 已用于另一个请求 / This Idempotency-Key was used for a different request.");

    /// <summary>The interest a concurrent request with the same Idempotency-Key is inserting.</summary>
    private async Task<Interest> AwaitReplayAsync(Guid id, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReplayWait;
        while (true)
        {
            if (await interests.FindAsync(id.ToString(), ct) is { } found) return found;
            if (DateTime.UtcNow > deadline)
                throw new ConflictException("使用同一 Idempotency-Key 的请求仍在处理中，请稍后重试 / A request with this Idempotency-Key is still being processed; retry shortly.");
            await Task.Delay(50, ct);
        }
    }
}
