using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Registration.Applications;

/// <summary>
/// What a request must hold before the application changes: sizes, formats, money and codes.
/// Whether the contract can be registered is the rules engine's answer (<see cref="RulesEngine"/>).
/// </summary>
internal static class ApplicationRules
{
    private const int MaxItems = 50;

    /// <summary>What must hold even for a draft.</summary>
    public static ContractFacts Validate(ApplicationInput input)
    {
        var v = new Validator()
            .Text(input.Title, "title", "合同名称", 200, required: false)
            .TechField(input.Field)
            .Check(input.DealId != Guid.Empty, "dealId", "交易编号无效 / Not a deal id.")
            .Check(input.LicenseTermYears is null or (>= 1 and <= 50), "licenseTermYears", "许可年限为 1–50 年 / licenseTermYears is 1–50.");
        Party(v, input.Seller, "seller");
        Party(v, input.Buyer, "buyer");
        v.Money(input.TotalAmount, "totalAmount");
        var costs = input.NonTechnicalCosts ?? [];
        var items = input.IpItems ?? [];
        v.Check(costs.Count <= MaxItems, "nonTechnicalCosts", $"非技术性费用最多 {MaxItems} 项 / At most {MaxItems} cost items.");
        v.Check(items.Count <= MaxItems, "ipItems", $"知识产权最多 {MaxItems} 项 / At most {MaxItems} IP items.");
        for (var i = 0; i < Math.Min(costs.Count, MaxItems); i++)
        {
            v.Text(costs[i]?.Item, $"nonTechnicalCosts[{i}].item", "费用项目", 100, required: false);
            v.Money(costs[i]?.Amount, $"nonTechnicalCosts[{i}].amount");
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

    /// <summary>The registration point of a new application: the one asked for, or the caller's sub-market.</summary>
    public static string RegistrationPoint(ApplicationInput input, MarketUser user)
    {
        var point = input.RegistrationPoint ?? user.SubMarket;
        new Validator()
            .Check(point is not null, "registrationPoint", "请给出登记点（分市场代码）/ Give the registration point (a sub-market code).")
            .SubMarket(point, "registrationPoint")
            .ThrowIfInvalid();
        return point!;
    }

    /// <summary>The point decides; an edit cannot move the application to another point's queue.</summary>
    public static void SamePoint(ApplicationInput input, ContractApplication application)
    {
        if (input.RegistrationPoint is { } point && point != application.RegistrationPoint)
            throw ValidationFailedException.For("registrationPoint", "登记点不能修改 / The registration point cannot change.");
    }

    public static string? RegistrarNote(RegisterInput? input)
    {
        new Validator().Text(input?.Note, "note", "说明", 1000, required: false).ThrowIfInvalid();
        return input?.Note?.Trim();
    }

    /// <summary>What the seller is to correct.</summary>
    public static string CorrectionNote(NoteInput? input)
    {
        new Validator().Text(input?.Note, "note", "补正要求", 1000, min: 2).ThrowIfInvalid();
        return input!.Note!.Trim();
    }

    public static string RevocationReason(ReasonInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "撤销原因", 500, min: 2).ThrowIfInvalid();
        return input!.Reason!.Trim();
    }

    /// <summary>
    /// The reasons of a refusal, written out (see <see cref="RefusalCatalogue"/>), and the
    /// registrar's note. <paramref name="found"/> is what the rules found; null for an application
    /// never submitted, which the refusal itself then turns away.
    /// </summary>
    public static (IReadOnlyList<string> Reasons, string? Note) Refusal(RefuseInput? input, RuleDecision? found)
    {
        var given = (input?.Reasons ?? []).Select(r => r?.Trim() ?? "").ToList();
        var v = new Validator()
            .Check(given.Count is >= 1 and <= 10, "reasons", "请给出 1–10 条不予登记的理由 / Give 1–10 reasons.")
            .Text(input?.Note, "note", "说明", 1000, required: false);
        var reasons = RefusalCatalogue.WriteOut(given, found?.RefusalReasons ?? [], v);
        v.ThrowIfInvalid();
        return (reasons, string.IsNullOrWhiteSpace(input?.Note) ? null : input.Note.Trim());
    }

    public static (string CaseReference, string? Note) TaxCheck(TaxCheckInput? input)
    {
        new Validator()
            .Text(input?.CaseReference, "caseReference", "税务案件编号", 64, min: 2)
            .Text(input?.Note, "note", "说明", 1000, required: false)
            .ThrowIfInvalid();
        return (input!.CaseReference!.Trim(), string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim());
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
}
