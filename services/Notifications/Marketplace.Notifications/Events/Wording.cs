using Marketplace.Contracts;

namespace Marketplace.Notifications.Events;

/// <summary>The Chinese words notifications use for the market's codes.</summary>
internal static class Wording
{
    public static string Listing(ListingKind kind) => kind switch
    {
        ListingKind.Offer => "成果",
        ListingKind.Demand => "需求",
        ListingKind.Challenge => "榜单",
        _ => "发布信息",
    };

    public static string Stage(DealStage stage) => stage switch
    {
        DealStage.Lead => "线索",
        DealStage.Contacted => "已接洽",
        DealStage.Negotiating => "洽谈中",
        DealStage.Agreed => "达成一致",
        DealStage.ContractSigned => "已签合同",
        DealStage.Registered => "已登记",
        DealStage.Closed => "已完成",
        DealStage.Lost => "已终止",
        _ => stage.ToString(),
    };

    /// <summary>A time as a reader in China reads it.</summary>
    public static string ChinaTime(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy年M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Yuan(decimal amount) => amount.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture) + " 元";

    /// <summary>User text quoted in a notification, cut to a readable length.</summary>
    public static string Quote(string? text, int max = 200)
    {
        var t = (text ?? "").Trim();
        var info = new System.Globalization.StringInfo(t);
        return info.LengthInTextElements <= max ? t : info.SubstringByTextElements(0, max) + "…";
    }

    /// <summary>A sentence ends with exactly one full stop, whatever the quoted text ended with.</summary>
    public static string Sentence(string text) => text.TrimEnd().TrimEnd('。', '.', '！', '!', '？', '?', '；', ';') + "。";
}
