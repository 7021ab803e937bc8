using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Portal.Api;

namespace Marketplace.Portal.Components.Shared;

/// <summary>Chinese names of the market's codes, and the formats users read.</summary>
public static class Labels
{
    public static readonly CultureInfo China = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>This year in Beijing time (statistics are by calendar year there).</summary>
    public static int ThisYear => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).Year;

    public static string Kind(ListingKind kind) => kind switch
    {
        ListingKind.Offer => "科技成果",
        ListingKind.Demand => "技术需求",
        ListingKind.Challenge => "揭榜挂帅",
        _ => Wire.Of(kind),
    };

    /// <summary>A facet's kind value, as the search service counts it.</summary>
    public static string Kind(string? code) => Wire.Parse<ListingKind>(code) is { } kind ? Kind(kind) : code ?? "";

    public static string Status(ListingStatus status) => status switch
    {
        ListingStatus.Draft => "草稿",
        ListingStatus.PendingReview => "待审核",
        ListingStatus.Published => "已发布",
        ListingStatus.Rejected => "已驳回",
        ListingStatus.Withdrawn => "已撤回",
        ListingStatus.Expired => "已过期",
        _ => Wire.Of(status),
    };

    public static string StatusColor(ListingStatus status) => status switch
    {
        ListingStatus.Published => "green",
        ListingStatus.PendingReview => "blue",
        ListingStatus.Rejected => "red",
        _ => "default",
    };

    public static string Mode(TransferMode mode) => mode switch
    {
        TransferMode.Transfer => "转让",
        TransferMode.ExclusiveLicense => "独占许可",
        TransferMode.SoleLicense => "排他许可",
        TransferMode.OrdinaryLicense => "普通许可",
        TransferMode.Equity => "作价入股",
        TransferMode.JointDevelopment => "合作开发",
        TransferMode.TechService => "技术服务",
        _ => Wire.Of(mode),
    };

    public static readonly IReadOnlyList<TransferMode> Modes = Enum.GetValues<TransferMode>();

    public static string Field(string? code) => ReferenceData.Fields.FirstOrDefault(f => f.Code == code)?.Name ?? code ?? "";

    public static string SubMarket(string? code) => ReferenceData.SubMarkets.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "";

    public static string Yuan(decimal? amount) => amount is { } a ? "¥" + a.ToString("#,0.##", China) : "面议";

    public static string Money(PriceRange? range) => (range?.Min, range?.Max) switch
    {
        (null, null) => "面议",
        ({ } a, { } b) when a != b => $"{Yuan(a)} – {Yuan(b)}",
        ({ } a, _) => Yuan(a),
        (_, { } b) => Yuan(b),
    };

    /// <summary>Times are stored in UTC and shown in Beijing time.</summary>
    public static string Date(DateTimeOffset? value) =>
        value is { } t ? TimeZoneInfo.ConvertTime(t, Shanghai).ToString("yyyy-MM-dd", China) : "";

    public static string Time(DateTimeOffset? value) =>
        value is { } t ? TimeZoneInfo.ConvertTime(t, Shanghai).ToString("yyyy-MM-dd HH:mm", China) : "";

    /// <summary>A calendar day (signing, deadlines) as the API writes it.</summary>
    /// <summary>A decision deadline; one counted without its year's holiday notice is marked 暂定.</summary>
    public static string Deadline(ApplicationView a) => a.DecisionDue is null ? "" : Day(a.DecisionDue) + (a.DecisionDueProvisional ? "（暂定）" : "");

    public static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The deal pipeline in order; <see cref="DealStage.Lost"/> ends a deal at any stage.</summary>
    public static readonly IReadOnlyList<DealStage> Stages = Enum.GetValues<DealStage>();

    public static string Stage(DealStage? stage) => stage switch
    {
        null => "",
        DealStage.Lead => "线索",
        DealStage.Contacted => "已联系",
        DealStage.Negotiating => "洽谈中",
        DealStage.Agreed => "达成意向",
        DealStage.ContractSigned => "已签合同",
        DealStage.Registered => "合同已登记",
        DealStage.Closed => "已完结",
        DealStage.Lost => "未成交",
        { } other => Wire.Of(other),
    };

    public static string Level(BrokerLevel level) => level switch
    {
        BrokerLevel.Junior => "初级技术经纪人",
        BrokerLevel.Intermediate => "中级技术经纪人",
        BrokerLevel.Senior => "高级技术经纪人",
        _ => Wire.Of(level),
    };

    public static string BrokerStatus(BrokerStatus status) => status switch
    {
        Marketplace.Contracts.BrokerStatus.Active => "在册",
        Marketplace.Contracts.BrokerStatus.Pending => "待审核",
        Marketplace.Contracts.BrokerStatus.Suspended => "已暂停",
        _ => Wire.Of(status),
    };

    public static readonly IReadOnlyList<(ContractType Code, string Name)> ContractTypes =
    [
        (Api.ContractType.Development, "技术开发"), (Api.ContractType.Transfer, "技术转让"), (Api.ContractType.License, "技术许可"),
        (Api.ContractType.Consulting, "技术咨询"), (Api.ContractType.Service, "技术服务"),
    ];

    public static readonly IReadOnlyDictionary<ContractType, IReadOnlyList<(ContractSubtype Code, string Name)>> Subtypes = new Dictionary<ContractType, IReadOnlyList<(ContractSubtype, string)>>
    {
        [Api.ContractType.Development] = [(ContractSubtype.Commissioned, "委托开发"), (ContractSubtype.Cooperative, "合作开发")],
        [Api.ContractType.Transfer] = [(ContractSubtype.PatentTransfer, "专利权转让"), (ContractSubtype.PatentApplicationTransfer, "专利申请权转让"),
            (ContractSubtype.TechnicalSecretTransfer, "技术秘密转让"), (ContractSubtype.OtherRightsTransfer, "其他知识产权转让"), (ContractSubtype.EquityContribution, "技术入股")],
        [Api.ContractType.License] = [(ContractSubtype.PatentLicense, "专利实施许可"), (ContractSubtype.TechnicalSecretLicense, "技术秘密使用许可"),
            (ContractSubtype.OtherRightsLicense, "其他知识产权许可")],
        [Api.ContractType.Consulting] = [(ContractSubtype.Consulting, "技术咨询")],
        [Api.ContractType.Service] = [(ContractSubtype.TechnicalService, "技术服务"), (ContractSubtype.Training, "技术培训"), (ContractSubtype.Intermediary, "技术中介")],
    };

    public static string ContractType(ContractType? type) => type is { } t ? ContractTypes.First(c => c.Code == t).Name : "";

    /// <summary>The two views of the provincial bulletins, as <c>/api/stats/turnover?view=</c> names them.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> TurnoverViews =
        [("output", "技术输出（按卖方所在地）"), ("absorption", "技术吸纳（按买方所在地）")];

    /// <summary>What the statistics can be grouped by, as <c>groupBy=</c> names it.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> TurnoverGroupings =
        [("type", "合同类别"), ("subMarket", "分市场"), ("month", "月份"), ("field", "技术领域")];

    public static string TurnoverView(string view) => TurnoverViews.FirstOrDefault(v => v.Code == view).Name ?? "按登记地";

    public static string TurnoverGrouping(string groupBy) => TurnoverGroupings.FirstOrDefault(g => g.Code == groupBy).Name ?? groupBy;

    /// <summary>A group's key in words: a sub-market (or 省外, another province), a contract type, a field, a month.</summary>
    public static string TurnoverKey(string groupBy, string key) => (groupBy, key) switch
    {
        (_, "unknown") => "未填写",
        ("subMarket", "outside") => "省外",
        ("subMarket", _) => SubMarket(key),
        ("type", _) => Wire.Parse<ContractType>(key) is { } type ? ContractType(type) : key,
        ("field", _) => Field(key),
        ("month", _) when key.Length == 7 => $"{key[..4]}年{key[5..]}月",
        _ => key,
    };

    public static string Subtype(ContractSubtype? subtype) =>
        subtype is { } s ? Subtypes.Values.SelectMany(v => v).First(c => c.Code == s).Name : "";

    public static readonly IReadOnlyList<(IpType Code, string Name)> IpTypes =
    [
        (IpType.InventionPatent, "发明专利"), (IpType.UtilityModel, "实用新型"), (IpType.DesignPatent, "外观设计"), (IpType.SoftwareCopyright, "软件著作权"),
        (IpType.IcLayout, "集成电路布图设计"), (IpType.PlantVariety, "植物新品种"), (IpType.TradeSecret, "技术秘密"),
    ];

    public static string FileKind(FileKind kind) => kind switch
    {
        Api.FileKind.PatentCertificate => "专利证书",
        Api.FileKind.Brochure => "宣传册",
        Api.FileKind.Photo => "照片",
        Api.FileKind.ContractText => "合同文本",
        Api.FileKind.Annex => "附件",
        _ => Wire.Of(kind),
    };

    /// <summary>A file's size as people read it: 812 B, 14.2 KB, 3.5 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", China) + " KB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", China) + " MB",
    };

    public static string IpTypeName(IpType? type) => type is { } t ? IpTypes.First(i => i.Code == t).Name : "";

    public static string ContractStatus(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Draft => "草稿",
        ApplicationStatus.Submitted => "待登记",
        ApplicationStatus.ReturnedForCorrection => "退回补正",
        ApplicationStatus.Registered => "已登记",
        ApplicationStatus.Refused => "不予登记",
        ApplicationStatus.Revoked => "已撤销",
        _ => Wire.Of(status),
    };

    public static string StatusColor(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Registered => "green",
        ApplicationStatus.Submitted => "blue",
        ApplicationStatus.ReturnedForCorrection => "orange",
        ApplicationStatus.Refused or ApplicationStatus.Revoked => "red",
        _ => "default",
    };

    public static string Severity(Severity severity) => severity switch
    {
        Api.Severity.Error => "须修改",
        Api.Severity.Refusal => "不予登记情形",
        Api.Severity.Warning => "请注意",
        _ => "提示",
    };

    public static string SeverityColor(Severity severity) => severity switch
    {
        Api.Severity.Error => "red",
        Api.Severity.Refusal => "volcano",
        Api.Severity.Warning => "orange",
        _ => "blue",
    };

    public static string Verification(VerificationStatus status) => status switch
    {
        VerificationStatus.Valid => "有效",
        VerificationStatus.Revoked => "已撤销",
        _ => "未找到该编号",
    };

    /// <summary>What a tax check saw: the application's status code at the time (registered, revoked).</summary>
    public static string StatusSeen(string code) => code switch
    {
        "registered" => "有效（已登记）",
        "revoked" => "已撤销",
        _ => Enum.TryParse<ApplicationStatus>(code.Replace("_", "", StringComparison.Ordinal), true, out var status) ? ContractStatus(status) : "其他状态",
    };

    /// <summary>What was done to a registration application, as its history records it.</summary>
    public static string ContractAction(string action) => action switch
    {
        "drafted" => "起草",
        "edited" => "修改",
        "document_added" => "添加文件",
        "document_removed" => "删除文件",
        "submitted" => "提交登记",
        "resubmitted" => "补正后重新提交",
        "registered" => "认定登记",
        "refused" => "不予登记",
        "returned" => "退回补正",
        "revoked" => "撤销登记",
        _ => "其他操作",
    };

    /// <summary>
    /// The Chinese half of one of the API's "中文 / English" texts: the text up to the first "/ " after which no
    /// Chinese follows (all of it when it has no English half). A " / " between Chinese words stays.
    /// </summary>
    public static string Chinese(string text)
    {
        for (var at = text.IndexOf("/ ", StringComparison.Ordinal); at >= 0; at = text.IndexOf("/ ", at + 2, StringComparison.Ordinal))
        {
            if (at > 0 && !text.AsSpan(at + 2).ContainsAnyInRange('\u4e00', '\u9fff')) return text[..at].TrimEnd();
        }
        return text.Trim();
    }

    public static string OrganisationKind(OrganisationKind kind) => kind switch
    {
        Api.OrganisationKind.University => "高校、科研院所",
        Api.OrganisationKind.Enterprise => "企业",
        Api.OrganisationKind.BrokerAgency => "技术转移机构",
        Api.OrganisationKind.MarketOperator => "市场运营机构",
        Api.OrganisationKind.RegistrationPoint => "技术合同登记点",
        Api.OrganisationKind.TaxOffice => "税务机关",
        Api.OrganisationKind.Platform => "平台运维",
        _ => Wire.Of(kind),
    };
    public static string InterestStatus(InterestStatus status) => status switch
    {
        Marketplace.Contracts.InterestStatus.Open => "待答复",
        Marketplace.Contracts.InterestStatus.Accepted => "已接受",
        Marketplace.Contracts.InterestStatus.Declined => "已婉拒",
        Marketplace.Contracts.InterestStatus.Withdrawn => "已撤回",
        _ => Wire.Of(status),
    };

    public static string StatusColor(InterestStatus status) => status switch
    {
        Marketplace.Contracts.InterestStatus.Open => "blue",
        Marketplace.Contracts.InterestStatus.Accepted => "green",
        Marketplace.Contracts.InterestStatus.Declined => "red",
        _ => "default",
    };

    /// <summary>What each kind of notification is about, as the settings page lists them.</summary>
    public static string NotificationKind(NotificationKind kind) => kind switch
    {
        Marketplace.Contracts.NotificationKind.ListingApproved => "信息审核通过",
        Marketplace.Contracts.NotificationKind.ListingRejected => "信息被驳回",
        Marketplace.Contracts.NotificationKind.InterestReceived => "收到对接意向",
        Marketplace.Contracts.NotificationKind.InterestAccepted => "对接意向被接受",
        Marketplace.Contracts.NotificationKind.InterestDeclined => "对接意向被婉拒",
        Marketplace.Contracts.NotificationKind.InterestWithdrawn => "对接意向被撤回",
        Marketplace.Contracts.NotificationKind.InterestMessage => "对接留言",
        Marketplace.Contracts.NotificationKind.LeadOffered => "新线索分配",
        Marketplace.Contracts.NotificationKind.LeadMovedOn => "线索已转给他人",
        Marketplace.Contracts.NotificationKind.DealStageChanged => "交易阶段变化",
        Marketplace.Contracts.NotificationKind.ProposalReceived => "收到揭榜方案",
        Marketplace.Contracts.NotificationKind.ChallengeAwarded => "揭榜结果公布",
        Marketplace.Contracts.NotificationKind.ApplicationSubmitted => "合同登记申请已提交",
        Marketplace.Contracts.NotificationKind.ApplicationRegistered => "合同已认定登记",
        Marketplace.Contracts.NotificationKind.ApplicationReturned => "合同登记退回补正",
        Marketplace.Contracts.NotificationKind.ApplicationRefused => "合同不予登记",
        Marketplace.Contracts.NotificationKind.ApplicationRevoked => "合同登记被撤销",
        Marketplace.Contracts.NotificationKind.BrokerApproved => "经纪人资料审核通过",
        Marketplace.Contracts.NotificationKind.WorkingCalendarMissing => "工作日历待载入",
        _ => Wire.Of(kind),
    };

    public static readonly IReadOnlyList<NotificationKind> NotificationKinds = Enum.GetValues<NotificationKind>();

    /// <summary>A fraction (0.25) as a percentage (25.0%).</summary>
    public static string Percent(decimal fraction) => (fraction * 100m).ToString("0.#", China) + "%";
}
