using System.Globalization;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Portal.Components.Shared;

/// <summary>Chinese names of the market's wire codes, and the formats users read.</summary>
public static class Labels
{
    public static readonly CultureInfo China = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

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

    public static string StatusColor(string? code) => code switch
    {
        "published" => "green",
        "pending_review" => "blue",
        "rejected" => "red",
        "draft" => "default",
        _ => "default",
    };
}
