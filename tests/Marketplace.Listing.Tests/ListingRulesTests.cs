using Marketplace.Contracts;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Listing.Tests;

/// <summary>The checks that moved out of the endpoints, on their own: what a poster, a reviewer or a searcher is told.</summary>
public sealed class ListingRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly ListingInput Offer = new()
    {
        Kind = ListingKind.Offer,
        Title = "高镍三元锂电池正极材料制备技术",
        Summary = "一种高镍三元正极材料的共沉淀制备方法。",
        Description = "本成果提供高镍三元锂电池正极材料的共沉淀与烧结工艺，已完成中试验证。",
        Field = "new-energy",
        Keywords = ["锂电池"],
        Maturity = 6,
        TransferModes = [TransferMode.Transfer],
        Price = new MoneyInput { Negotiable = true },
    };

    private static MarketUser Poster(string? subMarket) => new("alice", Roles.University, "csu", "中南大学", subMarket, "Alice");

    private static IReadOnlyDictionary<string, string[]> Refusal(Action check) => Assert.Throws<ValidationFailedException>(check).Errors;

    [Fact]
    public void A_new_listing_is_listed_in_the_posters_sub_market_unless_it_names_another()
    {
        Assert.Equal("changsha", ListingRules.New(Offer, Poster("changsha"), Now).SubMarket);
        Assert.Equal("zhuzhou", ListingRules.New(Offer with { SubMarket = "zhuzhou" }, Poster("changsha"), Now).SubMarket);
        Assert.Equal("中南大学", ListingRules.New(Offer, Poster("changsha"), Now).Content.HolderOrganisation);
    }

    [Fact]
    public void A_poster_is_told_of_an_unknown_sub_market_together_with_every_other_mistake()
    {
        var errors = Refusal(() => ListingRules.New(Offer with { SubMarket = "beijing", Title = "短" }, Poster("changsha"), Now));
        Assert.Equal([CommonRules.UnknownSubMarket("beijing")], errors["subMarket"]);
        Assert.True(errors.ContainsKey("title"));
        Assert.True(Refusal(() => ListingRules.New(Offer, Poster(null), Now)).ContainsKey("subMarket"));
    }

    [Fact]
    public void An_edit_keeps_the_kind_and_the_sub_market_of_the_listing()
    {
        var listing = Listings.Listing.Create(Guid.NewGuid(), ListingKind.Offer, "changsha", ListingRules.New(Offer, Poster("changsha"), Now).Content,
            Poster("changsha"), false, null, Now);

        Assert.Equal("新的成果标题内容", ListingRules.Edited(Offer with { Kind = null, Title = "新的成果标题内容" }, listing, Now).Title);
        Assert.True(Refusal(() => ListingRules.Edited(Offer with { Kind = ListingKind.Demand }, listing, Now)).ContainsKey("kind"));
        Assert.True(Refusal(() => ListingRules.Edited(Offer with { SubMarket = "zhuzhou" }, listing, Now)).ContainsKey("subMarket"));
    }

    [Fact]
    public void A_search_with_an_unknown_code_is_refused_naming_the_filter()
    {
        var filter = ListingRules.Filter(true, "pending_review", "offer", "changsha", "new-energy");
        Assert.Equal(new ListingFilter(true, ListingStatus.PendingReview, ListingKind.Offer, "changsha", "new-energy"), filter);

        Assert.True(Refusal(() => ListingRules.Filter(null, "live", null, null, null)).ContainsKey("status"));
        Assert.True(Refusal(() => ListingRules.Filter(null, null, "patent", null, null)).ContainsKey("kind"));
        var codes = Refusal(() => ListingRules.Filter(null, null, null, "beijing", "quantum"));
        Assert.Equal([CommonRules.UnknownSubMarket("beijing")], codes["subMarket"]);
        Assert.Equal([CommonRules.UnknownField("quantum")], codes["field"]);
    }

    [Fact]
    public void An_award_names_a_proposal_and_an_amount_within_the_ceiling()
    {
        var proposalId = Guid.NewGuid();
        Assert.Equal((proposalId, 900_000m, "方案最完整"), ListingRules.Validate(new AwardInput { ProposalId = proposalId, Amount = 900_000m, Note = " 方案最完整 " }));

        Assert.True(Refusal(() => ListingRules.Validate(new AwardInput())).ContainsKey("proposalId"));
        Assert.True(Refusal(() => ListingRules.Validate(new AwardInput { ProposalId = proposalId, Amount = CommonRules.MoneyCeiling + 1 })).ContainsKey("amount"));
        Assert.True(Refusal(() => ListingRules.Validate(new AwardInput { ProposalId = proposalId, Amount = 1.005m })).ContainsKey("amount"));
    }
}
