using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Marketplace.Portal.Api;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The portal reads the API through its own records (Marketplace.Portal.Api). Here real data is made
/// through the real API (embedded market) and every answer the portal reads is held against the
/// record it reads it into: every property (recursively) must be a field some answer has, and every
/// answer must read into the record. A field the API renames fails here, not on a user's screen.
/// </summary>
public sealed class PortalRecordsTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();
    private readonly Dictionary<Type, List<JsonObject>> _answers = [];
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private async Task<JsonObject> Read<T>(string token, string path, int status = 200) => Keep<T>(await (await _client.Send(HttpMethod.Get, path, token)).Expect(status));

    private async Task<JsonObject> Send<T>(HttpMethod method, string path, string token, object? body, int status, long? ifMatch = null) =>
        Keep<T>(await (await _client.Send(method, path, token, body,
            ifMatch is { } v ? new Dictionary<string, string> { ["If-Match"] = $"\"{v}\"" } : null)).Expect(status));

    /// <summary>An answer the portal reads into <typeparamref name="T"/>.</summary>
    private JsonObject Keep<T>(JsonObject answer)
    {
        if (!_answers.TryGetValue(typeof(T), out var list)) _answers[typeof(T)] = list = [];
        list.Add(answer);
        return answer;
    }

    private static long Version(JsonObject resource) => (long)resource["version"]!;

    private async Task<JsonObject> Until(Func<Task<JsonObject?>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found) return found;
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(200);
        }
    }

    private async Task<string> Publish(string owner, string operatorToken, object listing, string? attach = null)
    {
        var id = (string)(await (await _client.Send(HttpMethod.Post, "/api/listings", owner, listing)).Expect(201))["id"]!;
        if (attach is not null)
            await (await _client.Upload($"/api/listings/{id}/attachments", owner, attach, SampleFiles.Pdf(), "专利证书.pdf")).Expect(201);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken)).Expect(200);
        return id;
    }

    private static object Application(string title, string type, string subtype, Guid? dealId = null) => new
    {
        title, type, subtype, field = "new-energy",
        seller = new { name = "湖南示范大学（演示）", creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
        buyer = new { name = "长沙示范智造有限公司（演示）", creditCode = CreditCode.WithCheck("91430100MA4L00002"), regionCode = "430104" },
        signedOn = Today.AddDays(-3), validFrom = Today.AddDays(-3), validTo = Today.AddYears(3),
        totalAmount = 600_000m,
        nonTechnicalCosts = new[] { new { item = "中试样品（技术载体）", amount = 50_000m, carrier = true }, new { item = "检测设备", amount = 20_000m, carrier = false } },
        ipItems = new[] { new { type = "invention_patent", number = "ZL201710601862.3" } },
        licenseTermYears = type == "license" ? 5 : (int?)null,
        exclusivity = type == "license" ? "exclusive" : null,
        dealId,
    };

    [Fact]
    public async Task Every_field_the_portal_reads_is_one_the_API_answers_with()
    {
        var university = await gateway.SignIn("demo-university");
        var enterprise = await gateway.SignIn("demo-enterprise");
        var operatorToken = await gateway.SignIn("demo-operator");
        var broker = await gateway.SignIn("demo-broker");
        var registrar = await gateway.SignIn("demo-registrar");
        var tax = await gateway.SignIn("demo-tax");
        var admin = await gateway.SignIn("demo-admin");

        // listings: an offer with a price and a contact, a demand with a budget, a challenge with a proposal and its award, a rejected one
        var contact = new { name = "李老师", phone = "0731-88881234", email = "tto@example.edu.cn" };
        var offer = await Publish(university, operatorToken, new
        {
            kind = "offer", title = "耐高温陶瓷涂覆锂电池隔膜制备技术", summary = "一种耐高温陶瓷涂覆锂电池隔膜的浆料配方与涂布工艺。",
            description = "该成果涉及陶瓷涂覆隔膜的浆料配方、涂布工艺与在线检测装置，已完成中试验证，可独占许可。",
            field = "new-energy", keywords = new[] { "锂电池", "隔膜", "陶瓷涂覆" }, maturity = 6, transferModes = new[] { "exclusive_license" },
            price = new { min = 200000m, max = 400000m }, contact,
            ipItems = new[] { new { type = "invention_patent", number = "ZL201710601862.3", title = "一种耐高温陶瓷涂覆隔膜及其制备方法" } },
        }, attach: "patent_certificate");
        var demand = await Publish(enterprise, operatorToken, new
        {
            kind = "demand", title = "锂电池陶瓷涂覆隔膜技术需求", summary = "寻求耐高温陶瓷涂覆锂电池隔膜的制备工艺。",
            description = "公司生产动力锂电池，需要耐高温陶瓷涂覆隔膜的浆料配方与涂布工艺，提升电池热安全性能。",
            field = "new-energy", keywords = new[] { "锂电池", "隔膜" }, budget = new { min = 100000m, max = 500000m },
            deadline = DateTimeOffset.UtcNow.AddDays(90), contact,
        });
        var challenge = await Publish(enterprise, operatorToken, new
        {
            kind = "challenge", title = "盐碱地耐盐水稻品种选育揭榜", summary = "面向盐碱地的耐盐水稻新品种选育攻关。",
            description = "公司在滨海盐碱地种植水稻，征集耐盐水稻品种选育方案，榜额五十万元，揭榜后三年内完成区域试验。",
            field = "agriculture", keywords = new[] { "耐盐", "水稻" }, budget = new { min = 300000m, max = 600000m },
            deadline = DateTimeOffset.UtcNow.AddDays(120), bounty = 500000m, proposalDeadline = DateTimeOffset.UtcNow.AddDays(60),
        });
        await Send<Proposal>(HttpMethod.Post, $"/api/listings/{challenge}/proposals", university, new { summary = "依托耐盐种质资源库的分子育种方案", quotedAmount = 450000m }, 201);
        var proposed = await Read<ListingView>(enterprise, $"/api/listings/{challenge}");
        await Send<ListingView>(HttpMethod.Post, $"/api/listings/{challenge}/award", enterprise,
            new { proposalId = (string)proposed["proposals"]![0]!["id"]! }, 200, Version(proposed));
        var rejected = (string)(await (await _client.Send(HttpMethod.Post, "/api/listings", university, new
        {
            kind = "offer", title = "待驳回的成果信息示例", summary = "一条将被运营人员驳回的成果信息。", description = "用于检查驳回理由在门户中显示；内容不完整，运营人员驳回。",
            field = "new-energy", keywords = new[] { "示例" }, maturity = 3, transferModes = new[] { "transfer" }, price = new { negotiable = true },
        })).Expect(201))["id"]!;
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{rejected}/submit", university)).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{rejected}/reject", operatorToken, new { reason = "请补充技术指标" })).Expect(200);
        foreach (var id in new[] { offer, rejected }) await Read<ListingView>(university, $"/api/listings/{id}");
        foreach (var id in new[] { demand, challenge }) await Read<ListingView>(enterprise, $"/api/listings/{id}");
        await Read<PagedList<ListingView>>(university, "/api/listings?mine=true");

        // search and matches (the index is fed by the listing events)
        await Until(async () =>
        {
            var result = await (await _client.Send(HttpMethod.Get, "/api/search?q=隔膜", university)).Expect(200);
            var ids = result["items"]!.AsArray().Select(h => (string)h!["id"]!).ToList();
            return ids.Contains(offer) && ids.Contains(demand) ? Keep<SearchResult>(result) : null;
        }, "the offer and the demand never reached search");
        // a misspelt keyword (锂电池 → 锂电驰) finds nothing and gets the market's own word; a prefix gets completions
        await Until(async () =>
        {
            var result = await (await _client.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString("锂电驰"), university)).Expect(200);
            return result["didYouMean"] is not null ? Keep<SearchResult>(result) : null;
        }, "a misspelt keyword never got a did-you-mean");
        var suggestions = await Read<SearchSuggestions>(university, "/api/search/suggest?q=" + Uri.EscapeDataString("陶瓷"));
        Assert.NotEmpty(suggestions["items"]!.AsArray());
        var matches = await Read<MatchList>(university, $"/api/matches/{offer}");
        Assert.NotEmpty(matches["items"]!.AsArray());

        // the matching pair becomes demo-broker's lead, then a deal that walks to closed through a registered contract
        var lead = await Until(async () =>
        {
            var leads = await (await _client.Send(HttpMethod.Get, "/api/leads", broker)).Expect(200);
            return leads["items"]!.AsArray().Any(l => (string)l!["offerId"]! == offer) ? Keep<PagedList<LeadView>>(leads) : null;
        }, "the pair never became a lead");
        var leadId = (string)lead["items"]!.AsArray().First(l => (string)l!["offerId"]! == offer)!["id"]!;
        var deal = await Send<DealView>(HttpMethod.Post, $"/api/leads/{leadId}/accept", broker, null, 201);
        var dealId = (string)deal["id"]!;
        deal = await Send<DealView>(HttpMethod.Post, $"/api/deals/{dealId}/stage", broker, new { to = "contacted", note = "已联系校企双方" }, 200, Version(deal));
        deal = await Send<DealView>(HttpMethod.Post, $"/api/deals/{dealId}/stage", broker, new { to = "negotiating" }, 200, Version(deal));
        deal = await Send<DealView>(HttpMethod.Post, $"/api/deals/{dealId}/stage", broker, new { to = "agreed", commission = new { kind = "percentage", percent = 10m } }, 200, Version(deal));
        deal = await Send<DealView>(HttpMethod.Post, $"/api/deals/{dealId}/stage", broker, new { to = "contract_signed" }, 200, Version(deal));
        await Send<DealNote>(HttpMethod.Post, $"/api/deals/{dealId}/notes", broker, new { text = "合同已寄出" }, 201);

        // a deal the broker opens without a lead, on a fixed commission
        var fixedDeal = await Send<DealView>(HttpMethod.Post, "/api/deals", broker, new { title = "固定佣金交易", subMarket = "changsha", field = "new-energy" }, 201);
        foreach (var to in new[] { "contacted", "negotiating" })
            fixedDeal = await Send<DealView>(HttpMethod.Post, $"/api/deals/{fixedDeal["id"]}/stage", broker, new { to }, 200, Version(fixedDeal));
        await Send<DealView>(HttpMethod.Post, $"/api/deals/{fixedDeal["id"]}/stage", broker, new { to = "agreed", commission = new { kind = "fixed", amount = 20000m } }, 200, Version(fixedDeal));

        // registration: one with the deal, registered; one registered and revoked; a licence left as a draft; a self-check that finds errors
        var registered = await Send<ApplicationView>(HttpMethod.Post, "/api/contracts", university, Application("隔膜技术专利权转让合同", "transfer", "patent_transfer", Guid.Parse(dealId)), 201);
        await _client.AttachContractText(registered["id"]!, university);
        registered = await Read<ApplicationView>(university, $"/api/contracts/{registered["id"]}");
        registered = await Send<ApplicationView>(HttpMethod.Post, $"/api/contracts/{registered["id"]}/submit", university, null, 200, Version(registered));
        await Read<PagedList<ApplicationView>>(registrar, "/api/contracts?queue=true");
        registered = await Send<ApplicationView>(HttpMethod.Post, $"/api/contracts/{registered["id"]}/register", registrar, new { note = "材料齐全" }, 200, Version(registered));
        var number = (string)registered["registrationNumber"]!;
        var revoked = await Send<ApplicationView>(HttpMethod.Post, "/api/contracts", university, Application("隔膜技术专利权转让合同（二）", "transfer", "patent_transfer"), 201);
        await _client.AttachContractText(revoked["id"]!, university);
        revoked = await Read<ApplicationView>(university, $"/api/contracts/{revoked["id"]}");
        revoked = await Send<ApplicationView>(HttpMethod.Post, $"/api/contracts/{revoked["id"]}/submit", university, null, 200, Version(revoked));
        revoked = await Send<ApplicationView>(HttpMethod.Post, $"/api/contracts/{revoked["id"]}/register", registrar, new { note = "" }, 200, Version(revoked));
        await Send<ApplicationView>(HttpMethod.Post, $"/api/contracts/{revoked["id"]}/revoke", registrar, new { reason = "合同已解除" }, 200, Version(revoked));
        await Send<ApplicationView>(HttpMethod.Post, "/api/contracts", university, Application("隔膜专利实施许可合同", "license", "patent_license"), 201);
        await Read<ApplicationView>(university, $"/api/contracts/{registered["id"]}");
        await Read<PagedList<ApplicationView>>(university, "/api/contracts?mine=true");
        await Send<PrecheckView>(HttpMethod.Post, "/api/contracts/precheck", university, new { title = "缺少买方的合同", type = "transfer", subtype = "patent_transfer", totalAmount = 100000m }, 200);

        // the registration moves the deal on; the broker closes it
        deal = await Until(async () =>
        {
            var d = await (await _client.Send(HttpMethod.Get, $"/api/deals/{dealId}", broker)).Expect(200);
            return (string)d["stage"]! == "registered" ? d : null;
        }, "the registration never moved the deal");
        await Send<DealView>(HttpMethod.Post, $"/api/deals/{dealId}/stage", broker, new { to = "closed" }, 200, Version(deal));
        await Read<DealView>(broker, $"/api/deals/{dealId}");
        await Read<PagedList<DealView>>(broker, "/api/deals?mine=true");

        // verification, the tax office's checks, the certificate, the statistics
        await Read<VerificationView>(tax, $"/api/verify/{number}");
        await Read<VerificationView>(tax, $"/api/verify/{revoked["registrationNumber"]}");
        await Read<VerificationView>(tax, "/api/verify/2026430101999999");
        await Send<TaxCheck>(HttpMethod.Post, $"/api/verify/{number}/checks", tax, new { caseReference = "湘税减免〔2026〕001号", note = "增值税免税备案" }, 201);
        await Read<TaxCheckList>(tax, $"/api/verify/{number}/checks");
        await Read<SignedCertificate>(university, $"/api/registrations/{number}/certificate");
        var year = Today.Year;
        await Read<TurnoverStats>(operatorToken, $"/api/stats/turnover?groupBy=subMarket&from={year}-01-01&to={year}-12-31");
        await Read<TurnoverStats>(operatorToken, $"/api/stats/turnover?view=output&groupBy=type&from={year}-01-01&to={year}-12-31&subMarket=changsha");
        await Read<TurnoverStats>(operatorToken, $"/api/stats/turnover?view=absorption&groupBy=month&from={year}-01-01&to={year}-12-31");

        // brokers: a new broker's profile (pending, with an introduction), the directory, demo-broker's own profile and record
        var org = "records-agency";
        await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", admin, new
        {
            id = org, name = "记录测试技术转移中心", creditCode = CreditCode.WithCheck("12430100MA4L0R0C1"), kind = "broker_agency", subMarket = "changsha",
        })).Expect(201);
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin, new
        {
            username = org + "-zhao", displayName = "赵经纪", password = "Broker-2026-secret", role = "broker", organisationId = org,
        })).Expect(201);
        var newBroker = await gateway.SignIn(org + "-zhao", "Broker-2026-secret");
        await Send<BrokerView>(HttpMethod.Post, "/api/brokers", newBroker, new
        {
            name = "赵经纪", level = "intermediate", certificateNumber = "HN-JJR-2026-0099", fields = new[] { "new-energy" },
            contact = new { phone = "0731-88886666", email = "zhao@example.cn" }, introduction = "十年新能源技术转移经验",
        }, 201);
        await Read<PagedList<BrokerView>>(operatorToken, "/api/brokers?status=pending");
        await Read<PagedList<BrokerView>>(university, "/api/brokers");
        var me = await Read<BrokerView>(broker, "/api/brokers/me");
        await Read<BrokerStats>(broker, $"/api/brokers/{me["id"]}/stats");
        await Read<PagedList<CalendarYearSummary>>(admin, "/api/working-calendar");
        await Read<CalendarYearView>(admin, "/api/working-calendar/2026");
        await Send<CalendarSetView>(HttpMethod.Put, "/api/working-calendar/2099", admin,
            new { holidays = new[] { "2099-01-01" }, workingDays = new[] { "2099-01-03" }, source = "测试用 2099 年节假日安排" }, 200);
        await Read<BrokerGrowth>(operatorToken, "/api/brokers/growth");
        await Read<BrokerGrowth>(operatorToken, "/api/brokers/growth?subMarket=changsha");

        // an introduction: the enterprise's interest in the offer (a message each way), accepted, the deal it opens; the university's, declined
        var interest = await Send<InterestView>(HttpMethod.Post, $"/api/listings/{offer}/interests", enterprise,
            new { message = "我司希望独占许可该隔膜工艺。", mode = "exclusive_license", budget = 300000m }, 201);
        var interestId = (string)interest["id"]!;
        await Read<PagedList<InterestView>>(university, "/api/interests?box=received");
        await Send<InterestMessageView>(HttpMethod.Post, $"/api/interests/{interestId}/messages", university, new { text = "欢迎，请介绍贵司产线情况。" }, 201);
        await Send<InterestMessageView>(HttpMethod.Post, $"/api/interests/{interestId}/messages", enterprise, new { text = "年产两亿平方米隔膜。" }, 201);
        await Read<PagedList<InterestMessageView>>(enterprise, $"/api/interests/{interestId}/messages");
        await Send<InterestView>(HttpMethod.Post, $"/api/interests/{interestId}/accept", university, null, 200);
        var introduced = await Until(async () =>
        {
            var current = await (await _client.Send(HttpMethod.Get, $"/api/interests/{interestId}", enterprise)).Expect(200);
            return current["dealId"] is null ? null : Keep<InterestView>(current);
        }, "the accepted interest never learnt its deal");
        await Read<PagedList<InterestView>>(enterprise, "/api/interests?box=sent");
        await Read<DealView>(enterprise, $"/api/deals/{introduced["dealId"]}");
        await Read<PagedList<DealView>>(university, "/api/deals");
        var declined = await Send<InterestView>(HttpMethod.Post, $"/api/listings/{demand}/interests", university, new { message = "我校有相关隔膜技术，可合作开发。" }, 201);
        await Send<InterestView>(HttpMethod.Post, $"/api/interests/{declined["id"]}/decline", enterprise, new { reason = "已有合作方" }, 200);
        await Read<InterestView>(university, $"/api/interests/{declined["id"]}");
        await Read<FunnelView>(operatorToken, "/api/interests/funnel");

        // the university's inbox: what it was told, read one, read all; its mail settings
        var inbox = await Until(async () =>
        {
            var page = await (await _client.Send(HttpMethod.Get, "/api/notifications", university)).Expect(200);
            return page["items"]!.AsArray().Any(n => (string)n!["kind"]! == "interest_received") ? Keep<NotificationPage>(page) : null;
        }, "the university was never told of the interest");
        await Read<UnreadCount>(university, "/api/notifications/unread");
        await Send<NotificationView>(HttpMethod.Post, $"/api/notifications/{inbox["items"]![0]!["id"]}/read", university, null, 200);
        await Send<MarkedRead>(HttpMethod.Post, "/api/notifications/read-all", university, null, 200);
        await Send<NotificationSettingsView>(HttpMethod.Put, "/api/notifications/settings", university,
            new { email = "tto@example.edu.cn", emailKinds = new Dictionary<string, bool> { ["interest_message"] = false } }, 200);
        await Read<NotificationSettingsView>(university, "/api/notifications/settings");

        // the admin's lists, and an index rebuild
        await Read<PagedList<AccountView>>(admin, "/api/admin/accounts");
        await Read<PagedList<OrganisationView>>(admin, "/api/admin/organisations");
        await Send<RebuildStarted>(HttpMethod.Post, "/api/matching/rebuild", admin, null, 202);

        // a record is read in several places (a listing alone and in a page): it is checked against all of them
        var answersOf = new Dictionary<Type, List<JsonObject>>();
        foreach (var (type, answers) in _answers) Gather(type, answers, answersOf);
        var missing = new List<string>();
        foreach (var (type, answers) in _answers)
            foreach (var answer in answers)
            {
                // every answer reads into the record: an unknown enum code would fail here
                var read = Record.Exception(() => answer.Deserialize(type, MarketApi.Json));
                if (read is not null) missing.Add($"{Name(type)} cannot read an answer: {read.Message}");
            }
        foreach (var (type, answers) in answersOf)
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                var name = WireName(property);
                if (!answers.Any(a => a.ContainsKey(name))) missing.Add($"{Name(type)}.{name}");
                else if (RecordOf(property.PropertyType).Record is { } inner && !answersOf.ContainsKey(inner))
                    missing.Add($"{Name(type)}.{name} (never given with content)");
            }
        Assert.True(missing.Count == 0, "The portal reads fields no answer of the API has:\n" + string.Join("\n", missing.Distinct()));
    }

    /// <summary>Collects, for each of the portal's records, the JSON objects the API answered for it, records inside records too.</summary>
    private static void Gather(Type type, IEnumerable<JsonObject> answers, Dictionary<Type, List<JsonObject>> answersOf)
    {
        var list = answers.ToList();
        if (list.Count == 0) return;
        if (!answersOf.TryGetValue(type, out var known)) answersOf[type] = known = [];
        known.AddRange(list);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var (inner, isList) = RecordOf(property.PropertyType);
            if (inner is null) continue;
            var values = list.Select(a => a[WireName(property)]);
            Gather(inner, (isList ? values.OfType<JsonArray>().SelectMany(a => a) : values).OfType<JsonObject>(), answersOf);
        }
    }

    private static string WireName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>The portal's record a property holds, alone or as a list; null for values (text, numbers, enums, dates).</summary>
    private static (Type? Record, bool IsList) RecordOf(Type type)
    {
        static bool IsPortalRecord(Type t) => t.IsClass && t.Assembly == typeof(MarketApi).Assembly;
        if (IsPortalRecord(type)) return (type, false);
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;
        return element is not null && IsPortalRecord(element) ? (element, true) : (null, false);
    }

    private static string Name(Type type) => type.IsGenericType ? $"{type.Name.Split('`')[0]}<{type.GetGenericArguments()[0].Name}>" : type.Name;

    [Fact]
    public void The_portals_copies_of_the_APIs_enums_have_the_same_codes()
    {
        // The registration module keeps its types internal: its enums are read by name.
        var registration = typeof(Marketplace.Registration.RegistrationModule).Assembly;
        void Same<TPortal>(string apiType) where TPortal : struct, Enum =>
            Assert.Equal(Enum.GetNames(registration.GetType(apiType, throwOnError: true)!), Enum.GetNames<TPortal>());
        Same<ApplicationStatus>("Marketplace.Registration.Applications.ApplicationStatus");
        Same<ContractType>("Marketplace.Registration.Rules.ContractType");
        Same<ContractSubtype>("Marketplace.Registration.Rules.ContractSubtype");
        Same<Exclusivity>("Marketplace.Registration.Rules.Exclusivity");
        Same<Severity>("Marketplace.Registration.Rules.Severity");
        Assert.Equal(Enum.GetNames<Marketplace.Gateway.Identity.OrganisationKind>(), Enum.GetNames<OrganisationKind>());
    }
}
