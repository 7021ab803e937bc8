using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Listing;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;

namespace Marketplace.Benchmarks;

/// <summary>
/// Fills a listing store (<c>{dataDirectory}/listing.db</c>) with published listings as the running service leaves
/// them, without its HTTP API (100,000 create-submit-approve rounds through it take far too long). Each listing
/// takes the service's own path: a create body as a client sends it, read with the API's JSON options into the
/// service's <c>ListingInput</c>, checked by <c>ListingRules.New</c>, made by <c>Listing.Create</c>, then
/// <c>Submit</c> and <c>Approve</c>; its document is what <c>AggregateStore</c> writes (the body in the storage
/// JSON format, the fields of <c>ListingModule</c>'s index list) and goes in by the bulk path, 1,000 a batch, into a
/// collection whose indexes and shapes are <c>ListingModule</c>'s. Its outbox is empty, as the dispatcher leaves a
/// document once <c>ListingPublished</c> went out: the gateway's matching index is rebuilt at start from the
/// listings themselves (a snapshot replay), not from 100,000 stale events.
/// <para>
/// The listing types and rules are internal to <c>Marketplace.Listing</c>, which lets this console see them (as its
/// tests do). The one write a real listing has that these lack is its history of saves: they are stored at
/// version 1 (one bulk insert), where a listing created, submitted and approved through the API is at version 3;
/// only its ETag shows that.
/// </para>
/// </summary>
internal sealed class ListingSeed
{
    public const int Batch = 1_000;

    /// <summary>What minimal APIs read a request body with: the web defaults and the market's HTTP settings.</summary>
    private static readonly JsonSerializerOptions Http = HttpOptions();

    private static readonly MarketUser Reviewer = new("bench-operator", Roles.Operator, "bench-operator-org", "潇湘科技要素大市场（压测审核）", ReferenceData.ProvincialMarket, "压测审核员");

    private static readonly string[] Cities = ["changsha", "zhuzhou", "xiangtan"];
    private static readonly string[] Places = ["长沙", "株洲", "湘潭", "岳阳", "衡阳", "常德"];

    // technical terms, each with the field it most belongs to; 深度学习 among them, so a search for it has hits
    private static readonly (string Term, string Field)[] Terms =
    [
        ("深度学习", "info-tech"), ("机器视觉", "info-tech"), ("自然语言处理", "info-tech"), ("知识图谱", "info-tech"), ("边缘计算", "info-tech"),
        ("工业互联网", "equipment"), ("工业机器人", "equipment"), ("数控机床", "equipment"), ("增材制造", "equipment"), ("精密减速器", "equipment"),
        ("轨道交通牵引", "transport"), ("自动驾驶", "transport"), ("车路协同", "transport"), ("氢燃料电池", "new-energy"), ("固态电池", "new-energy"),
        ("光伏组件", "new-energy"), ("储能系统", "new-energy"), ("碳化硅功率器件", "materials"), ("稀土永磁材料", "materials"), ("石墨烯", "materials"),
        ("高温合金", "materials"), ("水稻育种", "agriculture"), ("智慧农业", "agriculture"), ("污水处理", "environment"), ("固废资源化", "environment"),
        ("细胞治疗", "biomed"), ("基因测序", "biomed"), ("中药制剂", "biomed"), ("无人机", "aerospace"), ("卫星导航", "aerospace"),
        ("检验检测", "tech-services"), ("知识产权运营", "tech-services"),
    ];

    private static readonly string[] Scenes = ["工业质检", "电力巡检", "医疗诊断", "城市交通", "农业种植", "矿山安全", "轨道交通", "新能源汽车", "环境监测", "航空制造"];
    private static readonly string[] Objects = ["检测系统", "控制平台", "关键技术", "制备工艺", "应用方案", "集成装置", "优化算法", "监测设备", "评价方法", "智能产线"];
    private static readonly string[] Gains = ["显著提升检测精度", "降低生产成本约三成", "缩短研发周期一半", "实现核心部件国产化替代", "提高能源利用效率", "减少人工巡检工作量"];
    private static readonly string[] Stages = ["小试验证", "中试", "示范应用", "规模化生产"];

    private sealed record ContactBody(string? Name, string? Phone, string? Email);

    /// <summary>A create body (<c>POST /api/listings</c>) as a client writes it; the service reads it into its own input type.</summary>
    private sealed record CreateBody
    {
        public required ListingKind Kind { get; init; }
        public required string Title { get; init; }
        public required string Summary { get; init; }
        public required string Description { get; init; }
        public required string Field { get; init; }
        public required IReadOnlyList<string> Keywords { get; init; }
        public int? Maturity { get; init; }
        public IReadOnlyList<TransferMode>? TransferModes { get; init; }
        public Money? Price { get; init; }
        public IReadOnlyList<IpItemSnapshot>? IpItems { get; init; }
        public Money? Budget { get; init; }
        public DateTimeOffset? Deadline { get; init; }
        public IReadOnlyList<TransferMode>? CooperationModes { get; init; }
        public decimal? Bounty { get; init; }
        public DateTimeOffset? ProposalDeadline { get; init; }
        public ContactBody? Contact { get; init; }
    }

    private readonly Random _random;
    private readonly DateTimeOffset _now;
    private readonly MarketUser[] _owners;

    public ListingSeed(Random random, DateTimeOffset now)
    {
        _random = random;
        _now = now;
        // 300 posting organisations: universities post offers, enterprises demands and challenges (as they mostly do)
        _owners = Enumerable.Range(0, 300).Select(i =>
        {
            var university = i % 3 == 0;
            var org = string.Create(CultureInfo.InvariantCulture, $"bench-org-{i:000}");
            var place = Places[i % Places.Length];
            var name = university ? $"{place}第{i + 1}理工大学（压测）" : $"{place}示范科技第{i + 1}有限公司（压测）";
            return new MarketUser("bench-user-" + org, university ? Roles.University : Roles.Enterprise, org, name, Cities[i % Cities.Length], "压测用户");
        }).ToArray();
    }

    /// <summary>The seeded listings' ids, and how long making their documents and writing them took.</summary>
    public sealed record Seeded(IReadOnlyList<string> Ids, TimeSpan Making, TimeSpan Writing);

    /// <summary>Writes <paramref name="count"/> published listings into a new store at <paramref name="path"/>.</summary>
    public async Task<Seeded> WriteAsync(string path, int count)
    {
        var ids = new List<string>(count);
        var (making, writing) = (new Stopwatch(), new Stopwatch());
        using var store = new LiteDbDocumentStore(path);
        // the collection as the service ensures it at its first start, before any listing is written
        await store.EnsureIndexesAsync(ListingModule.Collection, ListingModule.IndexedFields, ListingModule.QueryShapes);
        while (ids.Count < count)
        {
            making.Start();
            var batch = Enumerable.Range(0, Math.Min(Batch, count - ids.Count)).Select(_ => Published()).ToList();
            making.Stop();
            writing.Start();
            await store.InsertManyAsync(ListingModule.Collection, batch);
            writing.Stop();
            ids.AddRange(batch.Select(d => d.Id));
        }
        return new Seeded(ids, making.Elapsed, writing.Elapsed);
    }

    /// <summary>One listing through create, submit and approve, as the document its last save writes (outbox dispatched).</summary>
    public StoredDocument Published() => Document(Approved().Listing);

    /// <summary>One listing through create, submit and approve: the event its approval raises, as the outbox publishes it.</summary>
    public ListingPublished PublishedEvent() => Approved().Published;

    private (Listing.Listings.Listing Listing, ListingPublished Published) Approved()
    {
        var owner = _owners[_random.Next(_owners.Length)];
        var (listing, submitted) = Submitted(owner);
        listing.Approve(Reviewer, submitted + TimeSpan.FromMinutes(_random.Next(10, 24 * 60)));
        if (listing.PendingEvents is not [ListingPublished published])
            throw new InvalidOperationException("An approved listing should have raised ListingPublished and nothing else.");
        return (listing, published);
    }

    /// <summary>
    /// One listing of an owner in <paramref name="subMarket"/> through create and submit: a document of the review queue,
    /// as its last save writes it (outbox dispatched).
    /// </summary>
    public StoredDocument InReview(string subMarket)
    {
        var owners = _owners.Where(o => o.SubMarket == subMarket).ToList();
        return Document(Submitted(owners[_random.Next(owners.Count)]).Listing);
    }

    /// <summary>What AggregateStore&lt;Listing&gt; writes at a save.</summary>
    private static StoredDocument Document(Listing.Listings.Listing listing) => new()
    {
        Id = listing.StoreId,
        Body = JsonSerializer.Serialize(listing, MarketJson.Storage),
        Fields = ListingModule.Indexes.Of(listing),
    };

    private (Listing.Listings.Listing Listing, DateTimeOffset Submitted) Submitted(MarketUser owner)
    {
        var created = _now - TimeSpan.FromMinutes(_random.Next(3 * 24 * 60, 730 * 24 * 60));
        var submitted = created + TimeSpan.FromMinutes(_random.Next(5, 48 * 60));
        var body = JsonSerializer.Serialize(Body(owner.Role == Roles.University), MarketJson.Wire);

        // what the create endpoint does with that body
        var input = JsonSerializer.Deserialize<ListingInput>(body, Http) ?? throw new InvalidOperationException("An empty create body.");
        var draft = ListingRules.New(input, owner, created);
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var listing = Listing.Listings.Listing.Create(NewId.NextGuid(), draft.Kind, draft.SubMarket, draft.Content, owner, owner.IsDemo, fingerprint, created);
        listing.Submit(owner, submitted);
        return (listing, submitted);
    }

    private CreateBody Body(bool university)
    {
        var roll = _random.Next(10);
        var kind = university ? (roll < 9 ? ListingKind.Offer : ListingKind.Demand) : roll switch { < 3 => ListingKind.Offer, < 8 => ListingKind.Demand, _ => ListingKind.Challenge };
        var (term, field) = Pick(Terms);
        var other = Pick(Terms.Where(t => t.Term != term).ToList()).Term;
        var scene = Pick(Scenes);
        var thing = Pick(Objects);
        var place = Pick(Places);
        var title = _random.Next(3) switch
        {
            0 => $"基于{term}的{scene}{thing}",
            1 => $"{term}{thing}",
            _ => $"{scene}中的{term}与{other}{thing}",
        };
        var summary = kind == ListingKind.Offer
            ? $"本成果围绕{scene}场景，采用{term}和{other}技术，{Pick(Gains)}，已在{place}完成{Pick(Stages)}。"
            : $"我单位在{scene}方面需要{term}相关的{thing}，希望与高校院所合作，{Pick(Gains)}。";
        var description = string.Concat(Enumerable.Range(0, _random.Next(3, 7)).Select(_ =>
        {
            var (a, b) = (Pick(Terms).Term, Pick(Terms).Term);
            var with = a == b ? "" : $"与{b}";
            return $"在{Pick(Scenes)}中，{a}{with}结合形成{Pick(Objects)}，可{Pick(Gains)}；项目团队在{Pick(Places)}开展了{Pick(Stages)}，相关数据与测试报告齐全。";
        }));
        var keywords = new[] { term, other, scene }.Distinct().ToList();
        var contact = new ContactBody("张工", string.Create(CultureInfo.InvariantCulture, $"13{_random.Next(100_000_000, 999_999_999)}"), null);
        if (kind == ListingKind.Offer)
        {
            var min = _random.Next(1, 200) * 10_000m;
            return new CreateBody
            {
                Kind = kind, Title = title, Summary = summary, Description = description, Field = field, Keywords = keywords, Contact = contact,
                Maturity = _random.Next(1, 10),
                TransferModes = [.. Enum.GetValues<TransferMode>().OrderBy(_ => _random.Next()).Take(_random.Next(1, 4))],
                Price = _random.Next(4) == 0 ? new Money { Negotiable = true } : new Money { Min = min, Max = min * _random.Next(1, 5) },
                IpItems = _random.Next(3) == 0
                    ? [new IpItemSnapshot { Type = IpType.SoftwareCopyright, Number = string.Create(CultureInfo.InvariantCulture, $"20{_random.Next(15, 25)}SR{_random.Next(1_000_000, 9_999_999)}"), Title = $"{term}{thing}软件" }]
                    : null,
            };
        }
        var deadline = _now + TimeSpan.FromDays(_random.Next(30, 900));
        var budget = _random.Next(5, 500) * 10_000m;
        return new CreateBody
        {
            Kind = kind, Title = title, Summary = summary, Description = description, Field = field, Keywords = keywords, Contact = contact,
            Budget = new Money { Min = budget, Max = budget * 2, Negotiable = _random.Next(2) == 0 },
            Deadline = deadline,
            CooperationModes = [.. Enum.GetValues<TransferMode>().OrderBy(_ => _random.Next()).Take(_random.Next(0, 3))],
            Bounty = kind == ListingKind.Challenge ? budget : null,
            ProposalDeadline = kind == ListingKind.Challenge ? deadline - TimeSpan.FromDays(_random.Next(0, 20)) : null,
        };
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static JsonSerializerOptions HttpOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        MarketJson.ConfigureHttp(options);
        return options;
    }
}
