namespace Marketplace.Contracts.Listing;

/// <summary>
/// The lengths and counts a listing's text must keep, in visible characters: the listing service enforces
/// them, and the portal's form checks the same numbers before it sends anything.
/// </summary>
public static class ListingLimits
{
    public const int TitleMin = 4, TitleMax = 100;
    public const int SummaryMin = 10, SummaryMax = 500;
    public const int DescriptionMin = 20, DescriptionMax = 20000;
    public const int KeywordMax = 20, KeywordsMax = 10;
    public const int IpItemsMax = 30;
}
