using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Matching.Matches;

/// <summary>Who sees a listing's matches, and how many they may ask for.</summary>
internal static class MatchRules
{
    public const int DefaultTop = 10;
    public const int MaxTop = 50;

    /// <summary>The roles that may ask for matches at all; <see cref="EnsureMaySee"/> decides per listing.</summary>
    public static readonly string[] Viewers = [Roles.University, Roles.Enterprise, Roles.Broker, Roles.Operator];

    /// <exception cref="ValidationFailedException"><paramref name="top"/> is not 1–50.</exception>
    public static int Top(int? top)
    {
        new Validator().Check(top is null or (>= 1 and <= MaxTop), "top", $"top 为 1–{MaxTop} / top is 1–{MaxTop}.").ThrowIfInvalid();
        return top ?? DefaultTop;
    }

    /// <summary>The owner's organisation, any broker, and the operators of the listing's sub-market (or of hq) see its matches.</summary>
    public static bool MaySee(MarketUser user, ListingSnapshot listing) =>
        user.Organisation == listing.OwnerOrg || user.Role == Roles.Broker || user.IsOperatorOf(listing.SubMarket);

    /// <exception cref="ForbiddenException">the user is none of them.</exception>
    public static void EnsureMaySee(MarketUser user, ListingSnapshot listing)
    {
        if (!MaySee(user, listing))
            throw new ForbiddenException("只有发布单位、技术经纪人和所属分市场运营人员可以查看匹配结果 / Only the owner, brokers and the sub-market's operators see matches.");
    }
}
