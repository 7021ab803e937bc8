using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Matches;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Matching.Tests;

/// <summary>Who sees a listing's matches, and how many: the rule alone, without a host.</summary>
public sealed class MatchRulesTests
{
    private readonly ListingSnapshot _demand = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "d-battery")) with
    {
        OwnerOrg = "org-battery",
        SubMarket = "changsha",
    };

    private static MarketUser User(string role, string org, string? subMarket = "changsha") => new("u-1", role, org, null, subMarket, null);

    public static TheoryData<string, string, string, bool> Callers => new()
    {
        { Roles.Enterprise, "org-battery", "xiangtan", true },   // the owner's organisation, wherever its account is
        { Roles.University, "org-battery", "changsha", true },
        { Roles.Broker, "broker-org", "zhuzhou", true },          // any broker
        { Roles.Operator, "ops", "changsha", true },              // the listing's sub-market
        { Roles.Operator, "ops", ReferenceData.ProvincialMarket, true }, // the provincial market sees every sub-market
        { Roles.Operator, "ops", "zhuzhou", false },              // another sub-market's operator
        { Roles.University, "org-other", "changsha", false },     // another university in the same city
        { Roles.Enterprise, "org-other", "changsha", false },
    };

    [Theory, MemberData(nameof(Callers))]
    public void The_owner_brokers_and_the_listings_operators_see_its_matches_and_nobody_else(string role, string org, string subMarket, bool sees)
    {
        var user = User(role, org, subMarket);
        Assert.Equal(sees, MatchRules.MaySee(user, _demand));
        var refused = Record.Exception(() => MatchRules.EnsureMaySee(user, _demand));
        if (sees) Assert.Null(refused);
        else Assert.IsType<ForbiddenException>(refused);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData(1, 1)]
    [InlineData(50, 50)]
    public void A_caller_asks_for_one_to_fifty_matches_and_gets_ten_by_default(int? top, int expected) =>
        Assert.Equal(expected, MatchRules.Top(top));

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    [InlineData(-3)]
    public void Asking_for_no_matches_or_too_many_is_refused_naming_top(int top)
    {
        var refused = Assert.Throws<ValidationFailedException>(() => MatchRules.Top(top));
        Assert.Contains("top", refused.Errors.Keys);
    }
}
