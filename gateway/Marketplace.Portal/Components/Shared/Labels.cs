using System.Globalization;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Portal.Components.Shared;

/// <summary>Chinese names of the market's wire codes, and the formats users read.</summary>
public static class Labels
{
    public static readonly CultureInfo China = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>This year in Beijing time (statistics are by calendar year there).</summary>
    public static int ThisYear => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).Year;

    public static string Kind(string? code) => code switch
    {
        "offer" => "科技成果",
        "demand" => "技术需求",
        "challenge" => "揭榜挂帅",
        _ => code ?? "",
    };

    public static string Status(string? code) => code switch
    {
        "draft" => "草稿",
        "pending_review" => "待审核",
        "published" => "已发布",
        "rejected" => "已驳回",
        "withdrawn" => "已撤回",
        "transferred" => "已成交",
        "expired" => "已过期",
        _ => code ?? "",
    };

    public static string Mode(string? code) => code switch
    {
        "transfer" => "转让",
        "exclusive_license" => "独占许可",
        "sole_license" => "排他许可",
        "ordinary_license" => "普通许可",
        "equity" => "作价入股",
        "joint_development" => "合作开发",
        "tech_service" => "技术服务",
        _ => code ?? "",
    };

    public static readonly IReadOnlyList<string> Modes = ["transfer", "exclusive_license", "sole_license", "ordinary_license", "equity", "joint_development", "tech_service"];

    public static string Field(string? code) => ReferenceData.Fields.FirstOrDefault(f => f.Code == code)?.Name ?? code ?? "";

    public static string SubMarket(string? code) => ReferenceData.SubMarkets.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "";

    public static string Yuan(decimal? amount) => amount is { } a ? "¥" + a.ToString("#,0.##", China) : "面议";

    public static string Money(JsonNode? money)
    {
        if (money is null) return "面议";
        var min = (decimal?)money["min"];
        var max = (decimal?)money["max"];
        return (min, max) switch
        {
            (null, null) => "面议",
            ({ } a, { } b) when a != b => $"{Yuan(a)} – {Yuan(b)}",
            ({ } a, _) => Yuan(a),
            (_, { } b) => Yuan(b),
        };
    }

    /// <summary>Times are stored in UTC and shown in Beijing time.</summary>
    public static string Date(JsonNode? value) =>
        value is null ? "" : TimeZoneInfo.ConvertTime(DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture), Shanghai).ToString("yyyy-MM-dd", China);

    /// <summary>The deal pipeline in order; <c>lost</c> ends a deal at any stage.</summary>
    public static readonly IReadOnlyList<string> Stages = ["lead", "contacted", "negotiating", "agreed", "contract_signed", "registered", "closed"];

    public static string Stage(string? code) => code switch
    {
        "lead" => "线索",
        "contacted" => "已联系",
        "negotiating" => "洽谈中",
        "agreed" => "达成意向",
        "contract_signed" => "已签合同",
        "registered" => "合同已登记",
        "closed" => "已完结",
        "lost" => "未成交",
        _ => code ?? "",
    };

    public static string Time(JsonNode? value) =>
        value is null ? "" : TimeZoneInfo.ConvertTime(DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture), Shanghai).ToString("yyyy-MM-dd HH:mm", China);

    public static readonly IReadOnlyList<(string Code, string Name)> ContractTypes =
    [
        ("development", "技术开发"), ("transfer", "技术转让"), ("license", "技术许可"), ("consulting", "技术咨询"), ("service", "技术服务"),
    ];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Code, string Name)>> Subtypes = new Dictionary<string, IReadOnlyList<(string, string)>>
    {
        ["development"] = [("commissioned", "委托开发"), ("cooperative", "合作开发")],
        ["transfer"] = [("patent_transfer", "专利权转让"), ("patent_application_transfer", "专利申请权转让"), ("technical_secret_transfer", "技术秘密转让"),
            ("other_rights_transfer", "其他知识产权转让"), ("equity_contribution", "技术入股")],
        ["license"] = [("patent_license", "专利实施许可"), ("technical_secret_license", "技术秘密使用许可"), ("other_rights_license", "其他知识产权许可")],
        ["consulting"] = [("consulting", "技术咨询")],
        ["service"] = [("technical_service", "技术服务"), ("training", "技术培训"), ("intermediary", "技术中介")],
    };

    public static string ContractType(string? code) => ContractTypes.FirstOrDefault(t => t.Code == code).Name ?? code ?? "";

    public static string Subtype(string? code) => Subtypes.Values.SelectMany(v => v).FirstOrDefault(s => s.Code == code).Name ?? code ?? "";

    public static readonly IReadOnlyList<(string Code, string Name)> IpTypes =
    [
        ("invention_patent", "发明专利"), ("utility_model", "实用新型"), ("design_patent", "外观设计"), ("software_copyright", "软件著作权"),
        ("ic_layout", "集成电路布图设计"), ("plant_variety", "植物新品种"), ("trade_secret", "技术秘密"),
    ];

    public static string ContractStatus(string? code) => code switch
    {
        "draft" => "草稿",
        "submitted" => "待登记",
        "returned_for_correction" => "退回补正",
        "registered" => "已登记",
        "refused" => "不予登记",
        "revoked" => "已撤销",
        _ => code ?? "",
    };

    public static string Severity(string? code) => code switch
    {
        "error" => "须修改",
        "refusal" => "不予登记情形",
        "warning" => "请注意",
        "info" => "提示",
        _ => code ?? "",
    };

    public static string SeverityColor(string? code) => code switch
    {
        "error" => "red",
        "refusal" => "volcano",
        "warning" => "orange",
        _ => "blue",
    };

    public static string StatusColor(string? code) => code switch
    {
        "published" or "registered" => "green",
        "submitted" => "blue",
        "returned_for_correction" => "orange",
        "refused" or "revoked" => "red",
        "pending_review" => "blue",
        "rejected" => "red",
        "draft" => "default",
        _ => "default",
    };
}
