using System.Net;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The broker's deal page: follow-up notes, and how the deal comes to name its registered contract.</summary>
public sealed class DealNotesTests : SignedInTestContext
{
    private static readonly Guid DealId = Guid.Parse("0d6f3c52-0000-0000-0000-0000000000d2");

    private static DealView Deal() => new()
    {
        Id = DealId, Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", Stage = DealStage.Negotiating,
        NextStage = DealStage.Agreed, Version = 4, BrokerId = Guid.NewGuid(),
        History = [new DealChange(DateTimeOffset.UtcNow.AddDays(-2), null, DealStage.Lead, null), new DealChange(DateTimeOffset.UtcNow.AddDays(-1), DealStage.Contacted, DealStage.Negotiating, null)],
        Notes = [new DealNote(DateTimeOffset.UtcNow.AddDays(-1), "已电话联系成果方。")],
    };

    [Fact]
    public void A_note_the_broker_adds_shows_with_the_deals_title_stage_history_and_notes_even_when_the_deal_is_not_read_again()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        var reads = 0;
        // the first read answers; the one after the note does not (a lost connection, a busy service)
        Api.On($"GET /api/deals/{DealId}", _ => Interlocked.Increment(ref reads) == 1
            ? FakeApi.Json(Deal(), version: 4)
            : FakeApi.ProblemAnswer(HttpStatusCode.ServiceUnavailable, "服务暂时不可用 / Unavailable"));
        Api.On($"POST /api/deals/{DealId}/notes", new DealNote(DateTimeOffset.UtcNow, "已与双方约定下周三面谈。"), HttpStatusCode.Created, version: 5);
        var page = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => page.Find("[data-testid=note]").Change("已与双方约定下周三面谈。"));

        page.Find("[data-testid=add-note]").Click();

        page.WaitForAssertion(() => Assert.Contains("已与双方约定下周三面谈。", page.Find("[data-testid=notes]").TextContent));
        Assert.Equal(2, reads);
        Assert.Contains("已电话联系成果方。", page.Find("[data-testid=notes]").TextContent);
        Assert.Contains("耐高温陶瓷涂覆锂电池隔膜制备技术", page.Find("[data-testid=deal-title]").TextContent);
        Assert.Contains("洽谈中", page.Find("[data-testid=deal-stage]").TextContent);
        Assert.Equal(2, page.FindAll("[data-testid=history] li").Count);
        Assert.Equal("", page.Find("[data-testid=note]").GetAttribute("value") ?? "");
    }

    [Fact]
    public void A_note_the_broker_adds_shows_with_the_deal_as_read_again()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        var note = new DealNote(DateTimeOffset.UtcNow, "对方要求补充检测报告。");
        var reads = 0;
        Api.On($"GET /api/deals/{DealId}", _ => FakeApi.Json(Interlocked.Increment(ref reads) == 1 ? Deal() : Deal() with { Version = 5, Notes = [.. Deal().Notes, note] }));
        Api.On($"POST /api/deals/{DealId}/notes", note, HttpStatusCode.Created, version: 5);
        var page = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => page.Find("[data-testid=note]").Change(note.Text));

        page.Find("[data-testid=add-note]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, reads));
        // shown once: the note the answer gave is the one the deal read again holds
        Assert.Equal(2, page.FindAll("[data-testid=notes] li").Count);
        Assert.Contains(note.Text, page.Find("[data-testid=notes]").TextContent);
        Assert.Contains("耐高温陶瓷涂覆锂电池隔膜制备技术", page.Find("[data-testid=deal-title]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=problem]"));
    }

    [Fact]
    public void A_deal_without_a_contract_tells_the_broker_how_its_contract_comes_to_be_linked_and_the_parties_can_apply_for_it()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        Api.On($"GET /api/deals/{DealId}", Deal(), version: 4);
        var broker = Render<DealDetail>(p => p.Add(d => d.Id, DealId));
        broker.WaitForAssertion(() => Assert.Contains(DealId.ToString(), broker.Find("[data-testid=deal-contract-link-hint]").TextContent));
        Assert.Contains("申请合同登记", broker.Find("[data-testid=deal-contract-link-hint]").TextContent);
    }

    [Fact]
    public void A_party_applies_for_the_deals_contract_registration_from_the_deal_page()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/deals/{DealId}", Deal() with { Parties = [new DealParty("demo-university-org", "湖南示范大学（演示）")] }, version: 4);
        var party = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        party.WaitForAssertion(() => Assert.Equal($"/contracts/new?deal={DealId}", party.Find("[data-testid=apply-contract]").GetAttribute("href")));
    }

    [Fact]
    public void A_deal_with_its_registered_contract_shows_the_registration_number_and_no_way_to_apply_again()
    {
        SignIn(Roles.University, "demo-university-org");
        var registered = Deal() with { Stage = DealStage.Registered, NextStage = null, Contract = new RegisteredContract("2026430100000123", 300000m) };
        Api.On($"GET /api/deals/{DealId}", registered, version: 6);
        var party = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        party.WaitForAssertion(() => Assert.Contains("2026430100000123", party.Markup));
        Assert.Empty(party.FindAll("[data-testid=apply-contract]"));
    }
}
