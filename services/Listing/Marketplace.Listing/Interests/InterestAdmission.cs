using System.Globalization;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Listing.Interests;

/// <summary><c>Listing:Interests</c> in configuration.</summary>
internal sealed class InterestOptions
{
    /// <summary>New interests an organisation may express per calendar day in China time (UTC+8).</summary>
    public int DailyLimitPerOrganisation { get; set; } = 20;
}

/// <summary>
/// The one open interest an organisation may hold in a listing: a document whose id is
/// <c>{listingId}|{org}</c>, so two racing requests write the same document and the store's
/// insert (or version check) lets exactly one of them hold it.
/// </summary>
internal sealed class OpenInterestGuard : AggregateRoot
{
    private OpenInterestGuard() { }

    public string Id { get; private set; } = "";
    /// <summary>The interest holding the slot; null once it was decided or withdrawn.</summary>
    public Guid? InterestId { get; private set; }
    public DateTimeOffset TakenAt { get; private set; }

    public override string StoreId => Id;

    public static string IdOf(Guid listingId, string org) => $"{listingId:N}|{org}";

    public static OpenInterestGuard Take(string id, Guid interestId, DateTimeOffset now) => new() { Id = id, InterestId = interestId, TakenAt = now };

    public void Hold(Guid interestId, DateTimeOffset now) => (InterestId, TakenAt) = (interestId, now);

    public void Release() => InterestId = null;
}

/// <summary>How many interests an organisation expressed on one day (China time): <c>{org}|{yyyy-MM-dd}</c>.</summary>
internal sealed class InterestQuota : AggregateRoot
{
    private InterestQuota() { }

    public string Id { get; private set; } = "";
    public int Count { get; private set; }

    public override string StoreId => Id;

    public static InterestQuota First(string id) => new() { Id = id, Count = 1 };

    public void Take() => Count++;

    public void GiveBack() => Count = Math.Max(0, Count - 1);
}

/// <summary>
/// Admits a new interest: one open interest per organisation and listing, and at most
/// <see cref="InterestOptions.DailyLimitPerOrganisation"/> new ones per organisation and day.
/// Both are documents changed only with the store's insert or version check, so racing requests
/// cannot get past either. A refused request gives back what it took; a process that dies between
/// taking and inserting leaves at most one day's slot used (never given back) and a guard that
/// counts as free once <see cref="PendingInsertGrace"/> has passed without its interest.
/// </summary>
internal sealed partial class InterestAdmission(
    AggregateStore<OpenInterestGuard> guards,
    AggregateStore<InterestQuota> quotas,
    AggregateStore<Interest> interests,
    IOptions<InterestOptions> options,
    ILogger<InterestAdmission> logger)
{
    public const string GuardsCollection = "interest_guards";
    public const string QuotasCollection = "interest_quotas";

    /// <summary>How long a guard whose interest is not stored yet still counts as held (a request between the two writes).</summary>
    public static readonly TimeSpan PendingInsertGrace = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private const int MaxAttempts = 200;

    /// <summary>Takes the organisation's open slot in the listing for <paramref name="interestId"/>.</summary>
    /// <returns>false when the slot is already held by that very interest: a replay of the same Idempotency-Key still on its way.</returns>
    /// <exception cref="ConflictException">another open interest of the organisation holds it.</exception>
    public async Task<bool> TakeOpenSlotAsync(Guid listingId, string org, Guid interestId, DateTimeOffset now, CancellationToken ct)
    {
        var id = OpenInterestGuard.IdOf(listingId, org);
        for (var attempt = 1; ; attempt++)
        {
            var guard = await guards.FindAsync(id, ct);
            if (guard?.InterestId == interestId) return false;
            if (guard?.InterestId is { } held && await IsHeldAsync(held, guard.TakenAt, now, ct))
                throw new ConflictException($"本单位对该信息已有一个未处理的对接意向（{held}），请等待对方答复或先撤回 / Your organisation already has an open interest ({held}) in this listing; wait for the answer or withdraw it first.");
            try
            {
                if (guard is null) await guards.InsertAsync(OpenInterestGuard.Take(id, interestId, now), ct);
                else
                {
                    guard.Hold(interestId, now);
                    await guards.SaveAsync(guard, ct);
                }
                return true;
            }
            catch (Exception e) when (e is DocumentExistsException or ConcurrencyConflictException && attempt < MaxAttempts)
            {
                await Backoff(attempt, ct);
            }
        }
    }

    /// <summary>Frees the slot if <paramref name="interestId"/> still holds it (it was decided, withdrawn, or never stored).</summary>
    public async Task ReleaseOpenSlotAsync(Guid listingId, string org, Guid interestId, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var guard = await guards.FindAsync(OpenInterestGuard.IdOf(listingId, org), ct);
                if (guard?.InterestId != interestId) return;
                guard.Release();
                try
                {
                    await guards.SaveAsync(guard, ct);
                    return;
                }
                catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
                {
                    await Backoff(attempt, ct);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // harmless: a guard whose interest is no longer open counts as free when it is next taken
            LogReleaseFailed(e, interestId);
        }
    }

    /// <summary>Takes one of the organisation's interests for today (China time).</summary>
    /// <returns>the id of the day's quota, to give the slot back to.</returns>
    /// <exception cref="TooManyRequestsException">the organisation used all of today's.</exception>
    public async Task<string> TakeDailySlotAsync(string org, DateTimeOffset now, CancellationToken ct)
    {
        var limit = options.Value.DailyLimitPerOrganisation;
        var day = DateOnly.FromDateTime((now.ToUniversalTime() + ChinaOffset).DateTime);
        var id = $"{org}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        for (var attempt = 1; ; attempt++)
        {
            var quota = await quotas.FindAsync(id, ct);
            if ((quota?.Count ?? 0) >= limit)
            {
                var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);
                var retryAfter = midnight - now;
                throw new TooManyRequestsException(
                    $"本单位今天已提交 {limit} 个对接意向，已达每日上限，请明天（北京时间零点后）再试 / Your organisation has expressed {limit} interests today, the daily limit; try again after midnight China time.",
                    retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
            }
            try
            {
                if (quota is null) await quotas.InsertAsync(InterestQuota.First(id), ct);
                else
                {
                    quota.Take();
                    await quotas.SaveAsync(quota, ct);
                }
                return id;
            }
            catch (Exception e) when (e is DocumentExistsException or ConcurrencyConflictException && attempt < MaxAttempts)
            {
                await Backoff(attempt, ct);
            }
        }
    }

    /// <summary>Gives back a slot taken by a request that then did not create its interest.</summary>
    public async Task GiveBackDailySlotAsync(string quotaId, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var quota = await quotas.FindAsync(quotaId, ct);
                if (quota is null || quota.Count == 0) return;
                quota.GiveBack();
                try
                {
                    await quotas.SaveAsync(quota, ct);
                    return;
                }
                catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
                {
                    await Backoff(attempt, ct);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the documented leak: one slot of that day stays used
            LogGiveBackFailed(e, quotaId);
        }
    }

    /// <summary>A guard holds its slot while its interest is open, or while its interest is on its way to the store.</summary>
    private async Task<bool> IsHeldAsync(Guid held, DateTimeOffset takenAt, DateTimeOffset now, CancellationToken ct) =>
        await interests.FindAsync(held.ToString(), ct) is { } interest
            ? interest.Status == InterestStatus.Open
            : now - takenAt < PendingInsertGrace;

    private static Task Backoff(int attempt, CancellationToken ct) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(50, 2 * attempt + 2))), ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not free the open-interest guard of interest {InterestId}; the next request finds it free")]
    private partial void LogReleaseFailed(Exception exception, Guid interestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back the daily interest slot {QuotaId}; one slot of that day stays used")]
    private partial void LogGiveBackFailed(Exception exception, string quotaId);
}
