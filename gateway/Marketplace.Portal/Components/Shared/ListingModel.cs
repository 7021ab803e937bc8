using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Portal.Api;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Portal.Components.Shared;

/// <summary>What the listing form edits, as the user types it; turned into the API's request on save.</summary>
public sealed class ListingModel
{
    private static readonly char[] KeywordSeparators = ['、', ',', '，', ';', '；', ' ', '　'];

    /// <summary>One of an offer's IP items: a patent (application) number, a software registration number, ….</summary>
    public sealed class IpRow
    {
        public IpType Type { get; set; } = IpType.InventionPatent;
        public string Number { get; set; } = "";
        public string Title { get; set; } = "";
    }

    public ListingKind Kind { get; set; } = ListingKind.Offer;
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Description { get; set; } = "";
    public string Field { get; set; } = "";
    public string Keywords { get; set; } = "";
    public string Maturity { get; set; } = "";
    public HashSet<TransferMode> TransferModes { get; } = [];
    public string PriceMin { get; set; } = "";
    public string PriceMax { get; set; } = "";
    /// <summary>面议: the offer names no price; so is a price with neither end filled in.</summary>
    public bool PriceNegotiable { get; set; }
    public List<IpRow> IpItems { get; } = [];
    public string BudgetMin { get; set; } = "";
    public string BudgetMax { get; set; } = "";
    /// <summary>面议: no budget range, to be negotiated.</summary>
    public bool BudgetNegotiable { get; set; }
    public string Deadline { get; set; } = "";
    public string Bounty { get; set; } = "";
    public string ProposalDeadline { get; set; } = "";

    /// <summary>
    /// Everything the form can tell is wrong, per field, all at once: a number it cannot read does not hide a missing
    /// title. These are the API's rules for a listing (ListingRules, with the numbers of <see cref="ListingLimits"/>) in the user's words; the API checks them again.
    /// </summary>
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }
        void Text(string value, string field, string label, int min, int max)
        {
            if (string.IsNullOrWhiteSpace(value)) Add(field, $"请填写{label}");
            else if (UserText.VisibleLength(value) < min) Add(field, $"{label}至少 {min} 个字");
            else if (UserText.VisibleLength(value) > max) Add(field, $"{label}不能超过 {max} 个字");
        }
        decimal? Amount(string field, string text, bool aboveZero = false)
        {
            if (text.Trim().Length == 0) return null;
            if (!decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                Add(field, "请输入金额（元），如 150000");
            else if (!CommonRules.IsMoney(amount, zeroAllowed: !aboveZero))
                Add(field, aboveZero ? "金额须大于 0、不超过 1000 亿元、最多两位小数" : "金额为 0 至 1000 亿元、最多两位小数");
            else return amount;
            return null;
        }
        void Range(string field, string label, string min, string max, bool required)
        {
            if (required && min.Trim().Length == 0 && max.Trim().Length == 0) Add(field, $"请填写{label}区间或选择面议");
            var (low, high) = (Amount(field + ".min", min), Amount(field + ".max", max));
            if (low > high) Add(field, $"{label}下限不能高于上限");
        }
        DateOnly? Day(string field, string text, string label)
        {
            if (text.Length == 0) Add(field, $"请选择{label}");
            else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            else Add(field, $"请选择{label}");
            return null;
        }

        Text(Title, "title", "标题", ListingLimits.TitleMin, ListingLimits.TitleMax);
        Text(Summary, "summary", "简介", ListingLimits.SummaryMin, ListingLimits.SummaryMax);
        Text(Description, "description", Kind == ListingKind.Offer ? "详细介绍" : "需求描述", ListingLimits.DescriptionMin, ListingLimits.DescriptionMax);
        if (Field.Length == 0) Add("field", "请选择技术领域");
        var keywords = KeywordList();
        if (keywords.Count is < 1 or > ListingLimits.KeywordsMax) Add("keywords", $"关键词需 1–{ListingLimits.KeywordsMax} 个");
        if (keywords.Any(k => UserText.VisibleLength(k) > ListingLimits.KeywordMax)) Add("keywords", $"每个关键词不能超过 {ListingLimits.KeywordMax} 个字");
        if (keywords.Distinct(StringComparer.OrdinalIgnoreCase).Count() < keywords.Count) Add("keywords", "关键词不能重复");
        if (Kind == ListingKind.Offer)
        {
            if (!int.TryParse(Maturity, out var trl) || trl is < 1 or > 9) Add("maturity", "请选择技术成熟度（1–9 级）");
            if (TransferModes.Count == 0) Add("transferModes", "请至少选择一种转化方式");
            if (!PriceNegotiable) Range("price", "价格", PriceMin, PriceMax, required: false);
        }
        else
        {
            if (!BudgetNegotiable) Range("budget", "预算", BudgetMin, BudgetMax, required: true);
            var deadline = Day("deadline", Deadline, "需求截止日期");
            if (Kind == ListingKind.Challenge)
            {
                if (Bounty.Trim().Length == 0) Add("bounty", "请填写榜额（元）");
                else Amount("bounty", Bounty, aboveZero: true);
                if (Day("proposalDeadline", ProposalDeadline, "揭榜截止日期") is { } proposals && deadline is { } end && proposals > end)
                    Add("proposalDeadline", "揭榜截止日期不能晚于需求截止日期");
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    public IReadOnlyList<string> KeywordList() =>
        [.. Keywords.Split(KeywordSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public ListingRequest ToRequest()
    {
        static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
        static PriceRange? Range(string min, string max) => Number(min) is null && Number(max) is null ? null : new PriceRange(Number(min), Number(max));
        var common = new ListingRequest
        {
            Kind = Kind,
            Title = Title.Trim(),
            Summary = Summary.Trim(),
            Description = Description.Trim(),
            Field = Field.Length == 0 ? null : Field,
            Keywords = KeywordList(),
        };
        if (Kind == ListingKind.Offer)
            return common with
            {
                Maturity = int.TryParse(Maturity, out var trl) ? trl : null,
                TransferModes = [.. TransferModes],
                // the form's promise: 面议 ticked, or no price at all, is 面议 (negotiable)
                Price = (PriceNegotiable ? null : Range(PriceMin, PriceMax)) ?? new PriceRange(null, null, Negotiable: true),
                // a row left without a number is a row not filled in
                IpItems = [.. IpItems.Where(i => i.Number.Trim().Length > 0)
                    .Select(i => new ListingIpItem(i.Type, i.Number.Trim(), i.Title.Trim().Length == 0 ? null : i.Title.Trim()))],
            };
        var demand = common with
        {
            Budget = BudgetNegotiable ? new PriceRange(null, null, Negotiable: true) : Range(BudgetMin, BudgetMax),
            Deadline = EndOfDay(Deadline),
        };
        return Kind == ListingKind.Challenge ? demand with { Bounty = Number(Bounty), ProposalDeadline = EndOfDay(ProposalDeadline) } : demand;
    }

    /// <summary>The end of the chosen day in Beijing time.</summary>
    private static DateTimeOffset? EndOfDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.FromHours(8))
            : null;

    private static string Day(DateTimeOffset? value) =>
        value?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Amount(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static ListingModel From(ListingView listing)
    {
        var model = new ListingModel
        {
            Kind = listing.Kind,
            Title = listing.Title,
            Summary = listing.Summary,
            Description = listing.Description,
            Field = listing.Field,
            Keywords = string.Join("、", listing.Keywords),
            Maturity = listing.Maturity?.ToString(CultureInfo.InvariantCulture) ?? "",
            PriceMin = Amount(listing.Price?.Min),
            PriceMax = Amount(listing.Price?.Max),
            PriceNegotiable = listing.Kind == ListingKind.Offer && listing.Price?.Min is null && listing.Price?.Max is null,
            BudgetMin = Amount(listing.Budget?.Min),
            BudgetMax = Amount(listing.Budget?.Max),
            BudgetNegotiable = listing.Budget?.Negotiable ?? false,
            Deadline = Day(listing.Deadline),
            Bounty = Amount(listing.Bounty),
            ProposalDeadline = Day(listing.ProposalDeadline),
        };
        model.TransferModes.UnionWith(listing.TransferModes ?? []);
        model.IpItems.AddRange((listing.IpItems ?? []).Select(i => new IpRow { Type = i.Type ?? IpType.InventionPatent, Number = i.Number ?? "", Title = i.Title ?? "" }));
        return model;
    }
}
