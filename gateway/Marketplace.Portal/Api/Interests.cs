using Marketplace.Contracts;

namespace Marketplace.Portal.Api;

// What the portal reads of introductions (对接意向, GET /api/interests, /api/listings/{id}/interests)
// and what it sends them.

/// <summary>Which interests a list shows: those my organisation sent, or those it received.</summary>
public enum InterestBox { Sent, Received }

/// <summary>An organisation as an interest names it.</summary>
public sealed record InterestOrg(string Id, string? Name);

public sealed record InterestView
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid ListingId { get; init; }
    public string ListingTitle { get; init; } = "";
    public ListingKind ListingKind { get; init; }
    public InterestStatus Status { get; init; }
    /// <summary>The organisation that expressed the interest.</summary>
    public InterestOrg From { get; init; } = new("", null);
    /// <summary>The listing's owner.</summary>
    public InterestOrg To { get; init; } = new("", null);
    public string Message { get; init; } = "";
    public TransferMode? Mode { get; init; }
    public decimal? Budget { get; init; }
    public bool WithoutBroker { get; init; }
    /// <summary>How many messages the thread holds.</summary>
    public long Messages { get; init; }
    /// <summary>The deal opened from the accepted interest, once the broker service opened it.</summary>
    public Guid? DealId { get; init; }
    public string? BrokerSubject { get; init; }
    public string? DeclineReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    /// <summary>The listing's contact, released by the acceptance: only ever given to the sender's side.</summary>
    public ListingContact? Contact { get; init; }
}

/// <summary>The body of <c>POST /api/listings/{id}/interests</c>.</summary>
public sealed record InterestRequest(string Message, TransferMode? Mode, decimal? Budget, bool WithoutBroker);

/// <summary>The body of <c>POST /api/interests/{id}/accept</c>: the owner's wish to go on without a broker.</summary>
public sealed record AcceptRequest(bool WithoutBroker);

public sealed record MessageAuthor(string Subject, string? Name, string Org);

/// <summary>One message of an interest's thread.</summary>
public sealed record InterestMessageView(Guid Id, MessageAuthor Author, string Text, DateTimeOffset CreatedAt);

/// <summary>The body of <c>POST /api/interests/{id}/messages</c>.</summary>
public sealed record MessageRequest(string Text);

/// <summary>The introduction funnel of one sub-market (or of all, <see cref="SubMarket"/> null): interests → accepted → deals → registered contracts.</summary>
public sealed record FunnelRow
{
    public string? SubMarket { get; init; }
    public long Interests { get; init; }
    public long Accepted { get; init; }
    public long Deals { get; init; }
    public long Registered { get; init; }
    /// <summary>Accepted ÷ interests, a fraction (0.25 is 25%).</summary>
    public decimal IntroductionRate { get; init; }
}

/// <summary><c>GET /api/interests/funnel</c>: a row per sub-market of the operator's scope, and their totals.</summary>
public sealed record FunnelView
{
    public IReadOnlyList<FunnelRow> SubMarkets { get; init; } = [];
    public FunnelRow Totals { get; init; } = new();
}

/// <summary>The interest lists and the one look-up the listing pages make before offering 我要对接.</summary>
public static class InterestCalls
{
    /// <summary>The path of a box's list, with its status filter (none: all).</summary>
    public static string ListPath(InterestBox box, InterestStatus? status) =>
        $"/api/interests?box={Wire.Of(box)}" + (status is { } s ? $"&status={Wire.Of(s)}" : "");

    /// <summary>The open interests my organisation sent, by listing: a second one in the same listing would be refused (409).</summary>
    public static async Task<ApiResult<IReadOnlyDictionary<Guid, Guid>>> OpenInterestsByListingAsync(this MarketApi api, CancellationToken ct = default)
    {
        var sent = await api.GetAllAsync<InterestView>(ListPath(InterestBox.Sent, InterestStatus.Open), ct);
        if (sent.Problem is { } problem) return new ApiResult<IReadOnlyDictionary<Guid, Guid>>(null, problem, null);
        IReadOnlyDictionary<Guid, Guid> byListing = sent.Value!.GroupBy(i => i.ListingId).ToDictionary(g => g.Key, g => g.First().Id);
        return new ApiResult<IReadOnlyDictionary<Guid, Guid>>(byListing, null, null);
    }
}
