using System.Globalization;
using System.Text.Json.Nodes;

namespace Marketplace.Portal.Components.Shared;

/// <summary>What the listing form edits, as the user types it; turned into the API's request on save.</summary>
public sealed class ListingModel
{
    private static readonly char[] KeywordSeparators = ['、', ',', '，', ';', '；', ' ', '　'];

    public string Kind { get; set; } = "offer";
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Description { get; set; } = "";
    public string Field { get; set; } = "";
    public string Keywords { get; set; } = "";
    public string Maturity { get; set; } = "";
    public HashSet<string> TransferModes { get; } = [];
    public string PriceMin { get; set; } = "";
    public string PriceMax { get; set; } = "";
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
                errors[field] = ["请输入金额（元），如 150000 / Enter an amount in yuan."];
        }
        if (Kind == "offer")
        {
            Amount("price", PriceMin);
            Amount("price", PriceMax);
        }
        else
        {
            Amount("budget", BudgetMin);
            Amount("budget", BudgetMax);
            if (Deadline.Length > 0 && !DateOnly.TryParseExact(Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                errors["deadline"] = ["请选择截止日期 / Pick a deadline."];
            if (Kind == "challenge") Amount("bounty", Bounty);
        }
        return errors;
    }

    public IReadOnlyList<string> KeywordList() =>
        [.. Keywords.Split(KeywordSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public object ToRequest()
    {
        static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
        static object? Money(string min, string max) => Number(min) is null && Number(max) is null ? null : new { min = Number(min), max = Number(max) };
        var common = new Dictionary<string, object?>
        {
            ["kind"] = Kind,
            ["title"] = Title.Trim(),
            ["summary"] = Summary.Trim(),
            ["description"] = Description.Trim(),
            ["field"] = Field.Length == 0 ? null : Field,
            ["keywords"] = KeywordList(),
        };
        if (Kind == "offer")
        {
            common["maturity"] = int.TryParse(Maturity, out var trl) ? trl : null;
            common["transferModes"] = TransferModes.ToArray();
            common["price"] = Money(PriceMin, PriceMax);
        }
        else
        {
            common["budget"] = BudgetNegotiable ? new { negotiable = true } : Money(BudgetMin, BudgetMax);
            common["deadline"] = EndOfDay(Deadline);
            if (Kind == "challenge")
            {
                common["bounty"] = Number(Bounty);
                common["proposalDeadline"] = EndOfDay(ProposalDeadline);
            }
        }
        return common;
    }

    /// <summary>The end of the chosen day in Beijing time.</summary>
    private static DateTimeOffset? EndOfDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.FromHours(8))
            : null;

    private static string Day(JsonNode? value) => value is null ? ""
        : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static ListingModel From(JsonObject listing)
    {
        static string Amount(JsonNode? money, string part) => ((decimal?)money?[part])?.ToString(CultureInfo.InvariantCulture) ?? "";
        var model = new ListingModel
        {
            Kind = (string?)listing["kind"] ?? "offer",
            Title = (string?)listing["title"] ?? "",
            Summary = (string?)listing["summary"] ?? "",
            Description = (string?)listing["description"] ?? "",
            Field = (string?)listing["field"] ?? "",
            Keywords = string.Join("、", listing["keywords"]?.AsArray().Select(k => (string?)k) ?? []),
            Maturity = listing["maturity"]?.ToString() ?? "",
            PriceMin = Amount(listing["price"], "min"),
            PriceMax = Amount(listing["price"], "max"),
            BudgetMin = Amount(listing["budget"], "min"),
            BudgetMax = Amount(listing["budget"], "max"),
            BudgetNegotiable = (bool?)listing["budget"]?["negotiable"] ?? false,
            Deadline = Day(listing["deadline"]),
            Bounty = ((decimal?)listing["bounty"])?.ToString(CultureInfo.InvariantCulture) ?? "",
            ProposalDeadline = Day(listing["proposalDeadline"]),
        };
        foreach (var mode in listing["transferModes"]?.AsArray() ?? []) model.TransferModes.Add((string)mode!);
        return model;
    }
}
