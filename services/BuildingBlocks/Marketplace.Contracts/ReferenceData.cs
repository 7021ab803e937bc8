namespace Marketplace.Contracts;

public sealed record SubMarket(string Code, string Name, string NameEn, string RegionCode, IReadOnlyList<string> FocusIndustries);

public sealed record TechnologyField(string Code, string Name, string NameEn);

/// <summary>
/// The seeded reference data every service agrees on: the provincial market and its city
/// sub-markets (GB/T 2260 region codes), and the action plan's ten key technology fields.
/// </summary>
public static class ReferenceData
{
    /// <summary>The provincial market; its operators oversee every sub-market.</summary>
    public const string ProvincialMarket = "hq";

    public static readonly IReadOnlyList<SubMarket> SubMarkets =
    [
        new("hq", "潇湘科技要素大市场（省本级）", "Xiaoxiang market (provincial)", "430000", []),
        new("changsha", "长沙分市场", "Changsha sub-market", "430100", ["高端装备", "信息技术", "新材料", "文化创意"]),
        new("zhuzhou", "株洲分市场", "Zhuzhou sub-market", "430200", ["轨道交通", "航空航天", "新能源汽车"]),
        new("xiangtan", "湘潭分市场", "Xiangtan sub-market", "430300", ["智能装备", "电磁驱动", "新型金属材料"]),
    ];

    public static readonly IReadOnlyList<TechnologyField> Fields =
    [
        new("info-tech", "新一代信息技术", "Next-generation information technology"),
        new("equipment", "高端装备制造", "High-end equipment manufacturing"),
        new("transport", "未来交通", "Future transport"),
        new("new-energy", "新能源", "New energy"),
        new("materials", "新材料", "New materials"),
        new("agriculture", "现代农业", "Modern agriculture"),
        new("environment", "节能环保", "Energy saving and environmental protection"),
        new("biomed", "生物医药", "Biomedicine"),
        new("aerospace", "航空航天", "Aerospace"),
        new("tech-services", "高技术服务", "High-technology services"),
    ];

    public static bool IsSubMarket(string? code) => code is not null && SubMarkets.Any(s => s.Code == code);

    public static bool IsField(string? code) => code is not null && Fields.Any(f => f.Code == code);
}
