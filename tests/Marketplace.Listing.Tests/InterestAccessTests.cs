using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Who reaches each interest route: anonymous callers, every role, other organisations, operators of other sub-markets.</summary>
public sealed class InterestAccessTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(string Listing, string Interest, string Owner, string Sender)> OpenInterest()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var listing = (await _client.Publish(api, owner, Samples.Offer())).Id();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        return (listing, (await _client.Interest(sender, listing)).Id(), owner, sender);
    }

    private async Task AssertUnchanged(string owner, string interest)
    {
        var read = await _client.Read(owner, interest);
        Assert.Equal(("open", 1L), ((string)read["status"]!, (long)read["version"]!));
        Assert.Equal(0, (int)read["messages"]!);
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "" }, { "POST", "accept" }, { "POST", "decline" }, { "POST", "withdraw" }, { "GET", "messages" }, { "POST", "messages" },
    };

    [Theory, MemberData(nameof(Routes))]
    public async Task Anonymous_callers_get_401_on_every_interest_route(string method, string action)
    {
        var (listing, interest, owner, _) = await OpenInterest();
        var url = action == "" ? $"/api/interests/{interest}" : $"/api/interests/{interest}/{action}";
        await (await _client.Send(new HttpMethod(method), url, null, new { reason = "匿名的理由", text = "匿名留言" })).Expect(401);
        await (await _client.Express(null, listing)).Expect(401);
        await (await _client.Send(HttpMethod.Get, "/api/interests?box=sent")).Expect(401);
        await (await _client.Send(HttpMethod.Get, "/api/interests/funnel")).Expect(401);
        await AssertUnchanged(owner, interest);
    }

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Registrar)]
    [InlineData(Roles.Tax)]
    [InlineData(Roles.Admin)]
    public async Task Only_enterprises_universities_and_brokers_express_interest(string role)
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var listing = (await _client.Publish(api, owner, Samples.Offer())).Id();
        var token = api.Tokens.For(role, ListingApi.NewOrg(role));
        await (await _client.Express(token, listing)).Expect(403);
        Assert.Equal(0, (int)(await _client.Box(owner, "received"))["total"]!);
        Assert.Equal(0, (int)(await _client.Box(token, "sent"))["total"]!);
    }

    [Theory]
    [InlineData(Roles.Enterprise)]
    [InlineData(Roles.University)]
    [InlineData(Roles.Broker)]
    [InlineData(Roles.Registrar)]
    [InlineData(Roles.Tax)]
    [InlineData(Roles.Admin)]
    public async Task Another_organisation_in_any_role_finds_no_such_interest(string role)
    {
        var (_, interest, owner, _) = await OpenInterest();
        var stranger = api.Tokens.For(role, ListingApi.NewOrg(role));
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}", stranger)).Expect(404);
        await (await _client.Act(stranger, interest, "accept")).Expect(404);
        await (await _client.Act(stranger, interest, "decline", new { reason = "陌生人的拒绝理由" })).Expect(404);
        await (await _client.Act(stranger, interest, "withdraw")).Expect(404);
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}/messages", stranger)).Expect(404);
        await (await _client.Say(stranger, interest, "陌生人的留言")).Expect(404);
        Assert.DoesNotContain((await _client.Box(stranger, "received"))["items"]!.AsArray(), i => (string)i!["id"]! == interest);
        Assert.DoesNotContain((await _client.Box(stranger, "sent"))["items"]!.AsArray(), i => (string)i!["id"]! == interest);
        await AssertUnchanged(owner, interest);
    }

    [Fact]
    public async Task Operators_of_the_listings_sub_market_read_but_do_not_act_and_other_sub_markets_see_nothing()
    {
        var (_, interest, owner, _) = await OpenInterest();
        foreach (var reader in new[] { api.Operator("changsha"), api.Operator(ReferenceData.ProvincialMarket) })
        {
            Assert.Equal(interest, (await _client.Read(reader, interest)).Id());
            await _client.Messages(reader, interest);
            await (await _client.Act(reader, interest, "accept")).Expect(403);
            await (await _client.Act(reader, interest, "decline", new { reason = "运营代为拒绝" })).Expect(403);
            await (await _client.Act(reader, interest, "withdraw")).Expect(403);
            await (await _client.Say(reader, interest, "运营留言")).Expect(403);
        }
        var zhuzhou = api.Operator("zhuzhou");
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}", zhuzhou)).Expect(404);
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}/messages", zhuzhou)).Expect(404);
        await (await _client.Act(zhuzhou, interest, "accept")).Expect(404);
        await AssertUnchanged(owner, interest);
    }

    [Fact]
    public async Task Each_party_does_only_its_own_part()
    {
        var (_, interest, owner, sender) = await OpenInterest();
        var read = await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}", sender)).Expect(200);
        Assert.Equal(interest, read.Id());
        await (await _client.Act(owner, interest, "withdraw")).Expect(403);
        await (await _client.Act(sender, interest, "accept")).Expect(403);
        await (await _client.Act(sender, interest, "decline", new { reason = "发送方自己拒绝" })).Expect(403);
        await AssertUnchanged(owner, interest);
    }

    [Theory]
    [InlineData(Roles.Enterprise)]
    [InlineData(Roles.University)]
    [InlineData(Roles.Broker)]
    [InlineData(Roles.Registrar)]
    [InlineData(Roles.Tax)]
    [InlineData(Roles.Admin)]
    public async Task The_funnel_is_for_operators_only(string role)
    {
        await (await _client.Send(HttpMethod.Get, "/api/interests/funnel", api.Tokens.For(role, ListingApi.NewOrg(role)))).Expect(403);
    }

    [Fact]
    public async Task A_city_operator_reads_its_own_funnel_only()
    {
        await (await _client.Send(HttpMethod.Get, "/api/interests/funnel?subMarket=zhuzhou", api.Operator("changsha"))).Expect(403);
        var own = await (await _client.Send(HttpMethod.Get, "/api/interests/funnel", api.Operator("changsha"))).Expect(200);
        Assert.Equal("changsha", (string)own["subMarkets"]!.AsArray().Single()!["subMarket"]!);
        var unknown = await (await _client.Send(HttpMethod.Get, "/api/interests/funnel?subMarket=beijing", api.Operator(ReferenceData.ProvincialMarket))).Expect(400);
        QueryBounds.AssertNames(unknown, "subMarket");
    }
}
