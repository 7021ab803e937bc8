using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>
/// A listing's contact person, phone and email are for its owner, the operators and brokers of its
/// sub-market, and organisations whose interest in it was accepted — no longer for every signed-in user.
/// </summary>
public sealed class ContactReleaseTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<bool> SeesContact(string? token, string listingId) =>
        (await (await _client.Send(HttpMethod.Get, $"/api/listings/{listingId}", token)).Expect(200))["contact"] is not null;

    [Fact]
    public async Task A_signed_in_stranger_no_longer_reads_the_contact_of_a_published_listing()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var id = (await _client.Publish(api, owner, Samples.Offer())).Id();
        // before introductions, any signed-in user read it
        Assert.False(await SeesContact(api.Enterprise(ListingApi.NewOrg("ent")), id));
        Assert.False(await SeesContact(api.University(ListingApi.NewOrg("uni")), id));
        Assert.False(await SeesContact(null, id));
        foreach (var role in new[] { Roles.Registrar, Roles.Tax, Roles.Admin })
            Assert.False(await SeesContact(api.Tokens.For(role, ListingApi.NewOrg(role)), id), role);
    }

    [Fact]
    public async Task The_owner_and_the_sub_markets_operators_and_brokers_read_the_contact_and_those_of_other_sub_markets_do_not()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var id = (await _client.Publish(api, owner, Samples.Offer())).Id();
        Assert.True(await SeesContact(owner, id));
        Assert.True(await SeesContact(api.Operator("changsha"), id));
        Assert.True(await SeesContact(api.Operator(ReferenceData.ProvincialMarket), id));
        Assert.True(await SeesContact(api.Broker("changsha"), id));
        Assert.False(await SeesContact(api.Broker("zhuzhou"), id));
        Assert.False(await SeesContact(api.Operator("zhuzhou"), id));
    }

    [Fact]
    public async Task Only_an_accepted_interest_releases_the_contact_not_an_open_declined_or_withdrawn_one()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var id = (await _client.Publish(api, owner, Samples.Offer())).Id();
        var (waiting, declined, withdrawn, accepted) = (Enterprise(), Enterprise(), Enterprise(), Enterprise());
        await _client.Interest(waiting, id);
        await (await _client.Act(owner, (await _client.Interest(declined, id)).Id(), "decline", new { reason = "暂不考虑该合作方式" })).Expect(200);
        await (await _client.Act(withdrawn, (await _client.Interest(withdrawn, id)).Id(), "withdraw")).Expect(200);
        var acceptedId = (await _client.Interest(accepted, id)).Id();
        await (await _client.Act(owner, acceptedId, "accept")).Expect(200);

        Assert.False(await SeesContact(waiting, id));
        Assert.False(await SeesContact(declined, id));
        Assert.False(await SeesContact(withdrawn, id));
        Assert.True(await SeesContact(accepted, id));
        // a colleague of the accepted organisation too: ownership and introductions are the organisation's
        Assert.True(await SeesContact(api.Tokens.For(Roles.Enterprise, OrgOf(accepted), sub: "colleague"), id));
        // the interest itself shows the contact to the sender's organisation only
        Assert.NotNull((await _client.Read(accepted, acceptedId))["contact"]);
        Assert.Null((await _client.Read(owner, acceptedId))["contact"]);
        Assert.Null((await _client.Read(api.Operator(), acceptedId))["contact"]);
    }

    [Fact]
    public async Task Lists_of_listings_show_the_contact_by_the_same_rule()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var released = (await _client.Publish(api, owner, Samples.Offer("已对接成果的列表显示"))).Id();
        var other = (await _client.Publish(api, owner, Samples.Offer("未对接成果的列表显示"))).Id();
        var enterprise = Enterprise();
        await (await _client.Act(owner, (await _client.Interest(enterprise, released)).Id(), "accept")).Expect(200);

        var page = await (await _client.Send(HttpMethod.Get, "/api/listings?kind=offer&pageSize=100", enterprise)).Expect(200);
        var items = page["items"]!.AsArray();
        Assert.NotNull(items.Single(i => (string)i!["id"]! == released)!["contact"]);
        Assert.Null(items.Single(i => (string)i!["id"]! == other)!["contact"]);
        var stranger = await (await _client.Send(HttpMethod.Get, "/api/listings?kind=offer&pageSize=100", Enterprise())).Expect(200);
        Assert.All(stranger["items"]!.AsArray(), i => Assert.Null(i!["contact"]));
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", owner)).Expect(200);
        Assert.All(mine["items"]!.AsArray(), i => Assert.NotNull(i!["contact"]));
    }

    private readonly Dictionary<string, string> _orgs = [];

    private string Enterprise()
    {
        var org = ListingApi.NewOrg("ent");
        var token = api.Enterprise(org);
        _orgs[token] = org;
        return token;
    }

    private string OrgOf(string token) => _orgs[token];
}
