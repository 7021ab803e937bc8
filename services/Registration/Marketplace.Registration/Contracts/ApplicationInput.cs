using Marketplace.Contracts;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Registration.Contracts;

public sealed record PartyInput(string? Name, string? CreditCode, string? RegionCode);

public sealed record CostInput(string? Item, decimal? Amount, bool? Carrier);

public sealed record IpItemInput(IpType? Type, string? Number, DateOnly? ExpiresOn);

/// <summary>The application as the seller writes it (DESIGN.md §3.4). A draft may be incomplete; submitting checks it against the rules.</summary>
public sealed record ApplicationInput
{
    public string? Title { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string? Field { get; init; }
    public PartyInput? Seller { get; init; }
    public PartyInput? Buyer { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? TotalAmount { get; init; }
    public IReadOnlyList<CostInput>? NonTechnicalCosts { get; init; }
    public IReadOnlyList<IpItemInput>? IpItems { get; init; }
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    public bool? LicenseWorldwide { get; init; }
    public bool? Disputed { get; init; }
    public Guid? DealId { get; init; }
    /// <summary>The registration point (sub-market code); defaults to the caller's sub-market.</summary>
    public string? RegistrationPoint { get; init; }
}

public static class ApplicationRules
{
    public const decimal MoneyCeiling = 100_000_000_000m;
    private const int MaxItems = 50;

    /// <summary>What must hold even for a draft: sizes, formats and money. Whether it can be registered is the rules engine's answer.</summary>
    public static ContractFacts Validate(ApplicationInput input)
    {
        var v = new Validator()
            .Text(input.Title, "title", "合同名称", 200, required: false)
            .Check(input.Field is null || ReferenceData.IsField(input.Field), "field", "未知的技术领域代码 / Unknown field code.")
            .Check(input.DealId != Guid.Empty, "dealId", "交易编号无效 / Not a deal id.")
            .Check(input.LicenseTermYears is null or (>= 1 and <= 50), "licenseTermYears", "许可年限为 1–50 年 / licenseTermYears is 1–50.");
        Party(v, input.Seller, "seller");
        Party(v, input.Buyer, "buyer");
        Money(v, input.TotalAmount, "totalAmount");
        var costs = input.NonTechnicalCosts ?? [];
        var items = input.IpItems ?? [];
        v.Check(costs.Count <= MaxItems, "nonTechnicalCosts", $"非技术性费用最多 {MaxItems} 项 / At most {MaxItems} cost items.");
        v.Check(items.Count <= MaxItems, "ipItems", $"知识产权最多 {MaxItems} 项 / At most {MaxItems} IP items.");
        for (var i = 0; i < Math.Min(costs.Count, MaxItems); i++)
        {
            v.Text(costs[i]?.Item, $"nonTechnicalCosts[{i}].item", "费用项目", 100, required: false);
            Money(v, costs[i]?.Amount, $"nonTechnicalCosts[{i}].amount");
        }
        for (var i = 0; i < Math.Min(items.Count, MaxItems); i++)
            v.Text(items[i]?.Number, $"ipItems[{i}].number", "知识产权编号", 50, required: false);
        v.ThrowIfInvalid();
        return new ContractFacts
        {
            Title = input.Title?.Trim(),
            Type = input.Type,
            Subtype = input.Subtype,
            Field = input.Field,
            Seller = Party(input.Seller),
            Buyer = Party(input.Buyer),
            SignedOn = input.SignedOn,
            ValidFrom = input.ValidFrom,
            ValidTo = input.ValidTo,
            TotalAmount = input.TotalAmount,
            NonTechnicalCosts = costs.Select(c => new CostItem(c?.Item?.Trim(), c?.Amount, c?.Carrier ?? false)).ToList(),
            IpItems = items.Select(i => new IpItemFacts(i?.Type, i?.Number?.Trim(), i?.ExpiresOn)).ToList(),
            LicenseTermYears = input.LicenseTermYears,
            Exclusivity = input.Exclusivity,
            LicenseWorldwide = input.LicenseWorldwide ?? false,
            Disputed = input.Disputed ?? false,
        };
    }

    private static PartyFacts? Party(PartyInput? party) =>
        party is null ? null : new PartyFacts(party.Name?.Trim(), party.CreditCode?.Trim().ToUpperInvariant(), party.RegionCode?.Trim());

    private static void Party(Validator v, PartyInput? party, string field)
    {
        if (party is null) return;
        v.Text(party.Name, $"{field}.name", "名称", 100, required: false)
            .Check(party.CreditCode is null || party.CreditCode.Trim().Length <= 18, $"{field}.creditCode", "统一社会信用代码为 18 位 / A credit code has 18 characters.")
            .Check(party.RegionCode is null || party.RegionCode.Trim().Length <= 6, $"{field}.regionCode", "行政区划代码为 6 位 / A region code has 6 digits.");
    }

    private static void Money(Validator v, decimal? amount, string field)
    {
        if (amount is not { } value) return;
        v.Check(value >= 0 && value <= MoneyCeiling && decimal.Round(value, 2) == value, field,
            "金额为 0 至 1000 亿元、最多两位小数 / Amounts are 0 to 100 billion yuan with at most two decimals.");
    }
}
