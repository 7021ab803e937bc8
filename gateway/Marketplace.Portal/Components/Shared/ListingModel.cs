using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Portal.Api;

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
    public List<IpRow> IpItems { get; } = [];
    public string BudgetMin { get; set; } = "";
    public string BudgetMax { get; set; } = "";
    /// <summary>面议: no budget range, to be negotiated.</summary>
    public bool BudgetNegotiable { get; set; }
    public string Deadline { get; set; } = "";
    public string Bounty { get; set; } = "";
    public string ProposalDeadline { get; set; } = "";

    /// <summary>Numbers and dates the form cannot even read, per field, before anything is sent.</summary>
    public Dictionary<string, string[]> FormatErrors()
    {
        var errors = new Dictionary<string, string[]>();
        void Amount(string field, string text)
        {
            if (text.Length > 0 && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                errors[field] = ["请输入金额（元），如 150000"];
        }
        if (Kind == ListingKind.Offer)
        {
            Amount("price", PriceMin);
            Amount("price", PriceMax);
        }
        else
        {
            Amount("budget", BudgetMin);
            Amount("budget", BudgetMax);
            if (Deadline.Length > 0 && !DateOnly.TryParseExact(Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                errors["deadline"] = ["请选择截止日期"];
            if (Kind == ListingKind.Challenge) Amount("bounty", Bounty);
        }
        return errors;
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
                // the form's promise: no price at all is 面议 (negotiable)
                Price = Range(PriceMin, PriceMax) ?? new PriceRange(null, null, Negotiable: true),
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
