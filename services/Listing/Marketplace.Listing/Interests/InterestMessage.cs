using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Listing.Interests;

/// <summary>
/// One message on an interest, by one of its parties or the deal's broker. A document of its own
/// (collection <c>interest_messages</c>) so that an interest can hold many and they page; it is
/// written once with its <see cref="InterestMessagePosted"/> event and never changed.
/// </summary>
internal sealed class InterestMessage : AggregateRoot
{
    public const int ExcerptLength = 80;

    private InterestMessage() { }

    public Guid Id { get; private set; }
    public Guid InterestId { get; private set; }
    public string AuthorSubject { get; private set; } = "";
    public string? AuthorName { get; private set; }
    public string AuthorOrg { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Fingerprint of the request, to tell an Idempotency-Key replay from a reuse.</summary>
    public string? RequestFingerprint { get; private set; }

    public override string StoreId => Id.ToString();

    /// <summary>Made by <see cref="Interest.Post"/>, which checks that the interest takes messages.</summary>
    internal static InterestMessage Create(Guid id, Interest interest, MarketUser author, string text, string? fingerprint, DateTimeOffset now)
    {
        var message = new InterestMessage
        {
            Id = id,
            InterestId = interest.Id,
            AuthorSubject = author.Subject,
            AuthorName = author.Name,
            AuthorOrg = author.Organisation,
            Text = text,
            CreatedAt = now,
            RequestFingerprint = fingerprint,
        };
        message.Raise(new InterestMessagePosted
        {
            Interest = interest.Parties(),
            MessageId = id,
            AuthorOrg = author.Organisation,
            By = author.Subject,
            BrokerSubject = interest.BrokerSubject,
            Excerpt = Excerpt(text),
            PostedAt = now,
        });
        return message;
    }

    /// <summary>The first <see cref="ExcerptLength"/> characters a reader sees (never half a character), on one line.</summary>
    public static string Excerpt(string text)
    {
        var oneLine = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var elements = new System.Globalization.StringInfo(oneLine);
        return elements.LengthInTextElements <= ExcerptLength ? oneLine : elements.SubstringByTextElements(0, ExcerptLength) + "…";
    }
}
