using Marketplace.Contracts;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Registration.Tests;

/// <summary>One row of the rules table: an application, the day it is received, and what the rules must say.</summary>
internal sealed record RuleCase(
    DateOnly Received,
    ContractFacts Facts,
    string Version,
    string[]? Has = null,
    string[]? HasNot = null,
    decimal? Amount = null,
    DateOnly? Due = null,
    bool? Registrable = null,
    bool? Expert = null,
    string[]? Reliefs = null,
    string[]? ConditionalReliefs = null);

public sealed class RulesEngineTests
{
    private static readonly DateOnly In2026 = new(2026, 3, 2);   // a Monday under the 2026 measures
    private static readonly DateOnly In2025 = new(2025, 6, 2);   // a Monday under the 2001 rules

    // the official 2026 calendar the market ships (domain notes §6)
    internal static readonly WorkingCalendar Calendar = new([Marketplace.Registration.Calendar.OfficialCalendars.Year2026.Days()]);

    internal static readonly RulesEngine Engine = new([new Rules2001(), new Rules2026(new Rules2026Options())]);

    private static PartyFacts Seller => new("湖南示范大学", CreditCode.WithCheck("12430100MA4L00001"), "430104");
    private static PartyFacts Buyer => new("株洲示范轨道装备有限公司", CreditCode.WithCheck("91430200MA4L00002"), "430211");
    private static IpItemFacts Patent => new(IpType.InventionPatent, "ZL201710601862.3", new DateOnly(2037, 7, 20));
    private static IpItemFacts Software => new(IpType.SoftwareCopyright, "2023SR0123456", null);

    internal static ContractFacts Contract(ContractType type, ContractSubtype subtype, DateOnly received, decimal amount = 1_000_000m) => new()
    {
        Title = "牵引电机故障诊断技术合同",
        Type = type,
        Subtype = subtype,
        Field = "transport",
        Seller = Seller,
        Buyer = Buyer,
        SignedOn = received.AddDays(-10),
        ValidFrom = received.AddDays(-10),
        ValidTo = received.AddYears(2),
        TotalAmount = amount,
        IpItems = subtype is ContractSubtype.PatentTransfer or ContractSubtype.PatentApplicationTransfer or ContractSubtype.PatentLicense ? [Patent]
            : subtype is ContractSubtype.OtherRightsTransfer or ContractSubtype.OtherRightsLicense ? [Software] : [],
        LicenseTermYears = type == ContractType.License ? 5 : null,
        Exclusivity = type == ContractType.License ? Exclusivity.Ordinary : null,
    };

    internal static readonly Dictionary<string, RuleCase> Cases = new()
    {
        // every category and subtype of the 2026 measures registers
        ["2026 development, commissioned"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026), "2026", Registrable: true, Amount: 1_000_000m, Reliefs: ["vat_exemption"]),
        ["2026 development, cooperative"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Cooperative, In2026), "2026", Registrable: true),
        ["2026 transfer of a patent: VAT and EIT"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"]),
        ["2026 transfer of a patent application right"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentApplicationTransfer, In2026), "2026", Registrable: true),
        ["2026 transfer of a technical secret: no EIT relief"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.TechnicalSecretTransfer, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption"], HasNot: ["ip_missing"]),
        ["2026 transfer of software copyright (other rights)"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.OtherRightsTransfer, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"]),
        ["2026 equity contribution registers as a transfer"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.EquityContribution, In2026), "2026", Has: ["equity_as_transfer"], Registrable: true),
        ["2026 patent licence, ordinary, 5 years: EIT (财税〔2015〕116号)"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"], ConditionalReliefs: []),
        ["2026 patent licence, non-exclusive, 6 years: EIT, not conditional"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { LicenseTermYears = 6 }, "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"], ConditionalReliefs: []),
        ["2026 patent licence, sole (排他), 5 years: EIT"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { Exclusivity = Exclusivity.Sole }, "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"], ConditionalReliefs: []),
        ["2026 exclusive licence for China only, 5 years: EIT"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { Exclusivity = Exclusivity.Exclusive }, "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"], ConditionalReliefs: []),
        ["2026 software licence, ordinary, 5 years: EIT"] = new(In2026, Contract(ContractType.License, ContractSubtype.OtherRightsLicense, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"]),
        ["2026 technical secret licence of 5 years: no EIT relief"] = new(In2026, Contract(ContractType.License, ContractSubtype.TechnicalSecretLicense, In2026), "2026", Registrable: true, Reliefs: ["vat_exemption"], ConditionalReliefs: []),
        ["2026 transfer of a design patent: EIT conditional on more than a pattern change"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026) with { IpItems = [new(IpType.DesignPatent, "ZL202130123456.7", null)] }, "2026", Registrable: true, Reliefs: ["vat_exemption"], ConditionalReliefs: ["eit_transfer_income"]),
        ["2001 patent licence of 5 years filed as a transfer: EIT as a licence"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.PatentLicense, In2025) with { LicenseTermYears = 5, Exclusivity = Exclusivity.Ordinary }, "2001", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"]),
        ["2001 patent licence of 3 years filed as a transfer: no EIT relief"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.PatentLicense, In2025) with { LicenseTermYears = 3, Exclusivity = Exclusivity.Ordinary }, "2001", Registrable: true, Reliefs: ["vat_exemption"], ConditionalReliefs: []),
        ["2001 patent licence without its term: EIT conditional on five years"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.PatentLicense, In2025), "2001", Registrable: true, Reliefs: ["vat_exemption"], ConditionalReliefs: ["eit_transfer_income"]),
        ["2026 patent licence, exclusive worldwide, 5 years: EIT"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { Exclusivity = Exclusivity.Exclusive, LicenseWorldwide = true }, "2026", Registrable: true, Reliefs: ["vat_exemption", "eit_transfer_income"]),
        ["2026 licence of 3 years: no EIT relief"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { LicenseTermYears = 3 }, "2026", Registrable: true, Reliefs: ["vat_exemption"]),
        ["2026 technical secret licence"] = new(In2026, Contract(ContractType.License, ContractSubtype.TechnicalSecretLicense, In2026), "2026", Registrable: true),
        ["2026 other rights licence"] = new(In2026, Contract(ContractType.License, ContractSubtype.OtherRightsLicense, In2026), "2026", Registrable: true),
        ["2026 consulting: VAT only when tied to a transfer"] = new(In2026, Contract(ContractType.Consulting, ContractSubtype.Consulting, In2026), "2026", Registrable: true, ConditionalReliefs: ["vat_exemption"]),
        ["2026 technical service"] = new(In2026, Contract(ContractType.Service, ContractSubtype.TechnicalService, In2026), "2026", Registrable: true, ConditionalReliefs: ["vat_exemption"]),
        ["2026 training registers as a service"] = new(In2026, Contract(ContractType.Service, ContractSubtype.Training, In2026), "2026", Has: ["service_subtype"], Registrable: true),
        ["2026 intermediary registers as a service"] = new(In2026, Contract(ContractType.Service, ContractSubtype.Intermediary, In2026), "2026", Has: ["service_subtype"], Registrable: true),
        ["a subtype of another type is a category mismatch"] = new(In2026, Contract(ContractType.Development, ContractSubtype.PatentTransfer, In2026), "2026", Has: ["category_mismatch"], Registrable: false),

        // the 2001 rules: licences were transfers; no equity or other-rights subtypes
        ["2001 patent licence filed as a transfer registers"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.PatentLicense, In2025), "2001", Registrable: true),
        ["2001 has no licence type"] = new(In2025, Contract(ContractType.License, ContractSubtype.PatentLicense, In2025), "2001", Has: ["category_unknown", "license_as_transfer"], Registrable: false),
        ["2001 has no equity subtype"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.EquityContribution, In2025), "2001", Has: ["category_mismatch"], Registrable: false),
        ["2001 has no other-rights subtype"] = new(In2025, Contract(ContractType.Transfer, ContractSubtype.OtherRightsTransfer, In2025), "2001", Has: ["category_mismatch"], Registrable: false),

        // refusal reasons (不予登记)
        ["expired contract: not in force"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026) with { ValidTo = In2026.AddDays(-1), SignedOn = In2026.AddDays(-400), ValidFrom = In2026.AddDays(-400) }, "2026", Has: ["not_in_force"], Registrable: false),
        ["contract not yet in force"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026) with { ValidFrom = In2026.AddDays(30) }, "2026", Has: ["not_in_force"], Registrable: false),
        ["price not clearly agreed"] = new(In2026, Contract(ContractType.Consulting, ContractSubtype.Consulting, In2026, 0m), "2026", Has: ["price_unclear"], Registrable: false, Amount: null),
        ["seller and buyer the same entity"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026) with { Buyer = Seller }, "2026", Has: ["same_party"], Registrable: false),
        ["only non-technical content"] = new(In2026, Contract(ContractType.Service, ContractSubtype.TechnicalService, In2026, 100_000m) with { NonTechnicalCosts = [new("检测设备", 100_000m, false)] }, "2026", Has: ["no_technology_content"], Amount: 0m, Registrable: false),
        ["expired patent: public domain"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026) with { IpItems = [Patent with { ExpiresOn = new DateOnly(2020, 1, 1) }] }, "2026", Has: ["ip_expired"], Registrable: false),
        ["2001 refusal names the 2001 rule"] = new(In2025, Contract(ContractType.Development, ContractSubtype.Commissioned, In2025) with { ValidTo = In2025.AddDays(-1), SignedOn = In2025.AddDays(-90), ValidFrom = In2025.AddDays(-90) }, "2001", Has: ["not_in_force"], Registrable: false),

        // completeness and consistency
        ["missing parties, dates and amount"] = new(In2026, new ContractFacts { Title = "不完整的合同", Type = ContractType.Development, Subtype = ContractSubtype.Commissioned, Field = "transport" }, "2026", Has: ["incomplete"], Registrable: false),
        ["bad credit code and region code"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026) with { Seller = new("湖南示范大学", "12430100MA4L00000", "990101") }, "2026", Has: ["credit_code_invalid", "region_code_invalid"], Registrable: false),
        ["validity ends before it begins"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026) with { ValidTo = In2026.AddDays(-20) }, "2026", Has: ["dates_inconsistent"], Registrable: false),
        ["a patent transfer without the patent"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026) with { IpItems = [] }, "2026", Has: ["ip_missing"], Registrable: false),
        ["a licence without term and exclusivity"] = new(In2026, Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with { LicenseTermYears = null, Exclusivity = null }, "2026", Has: ["incomplete"], Registrable: false),
        ["costs above the contract amount"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 100_000m) with { NonTechnicalCosts = [new("设备", 150_000m, false)] }, "2026", Has: ["costs_exceed_amount"], Registrable: false),
        ["a service that transfers rights is flagged"] = new(In2026, Contract(ContractType.Service, ContractSubtype.TechnicalService, In2026) with { IpItems = [Patent] }, "2026", Has: ["service_with_ip"], Registrable: true),

        // the registrable amount
        ["non-technical costs are deducted"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 2_000_000m) with
        {
            NonTechnicalCosts = [new("购置数控机床", 300_000m, false), new("原材料", 50_000.50m, false)],
        }, "2026", Amount: 1_649_999.50m, Registrable: true),
        ["reasonable carrier costs are kept"] = new(In2026, Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026, 2_000_000m) with
        {
            NonTechnicalCosts = [new("样机两套（技术载体）", 200_000m, true), new("配套设备", 300_000m, false)],
        }, "2026", Has: ["carrier_costs_kept"], Amount: 1_700_000m, Registrable: true),

        // the decision deadline
        ["2026: 15 working days"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026), "2026", Due: new DateOnly(2026, 3, 23), Expert: false),
        ["2026: a large contract gets 30 working days of expert review"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 6_000_000m), "2026", Has: ["expert_review"],
            // 3-23 is the 15th; 3-24..4-3 16–24; 4-6 (Mon) is 清明节; 4-7..4-10 25–28; 4-13 29; 4-14 the 30th
            Due: new DateOnly(2026, 4, 14), Expert: true),
        ["2026: the large threshold counts the technology amount, not the total"] = new(In2026, Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 6_000_000m) with { NonTechnicalCosts = [new("设备", 1_500_000m, false)] }, "2026", HasNot: ["expert_review"], Due: new DateOnly(2026, 3, 23), Expert: false),
        ["2026: a disputed contract gets expert review"] = new(In2026, Contract(ContractType.Consulting, ContractSubtype.Consulting, In2026) with { Disputed = true }, "2026", Has: ["expert_review"], Expert: true),
        ["2026: holidays and made-up working days"] = new(new DateOnly(2026, 4, 24), Contract(ContractType.Development, ContractSubtype.Commissioned, new DateOnly(2026, 4, 24)), "2026",
            // from Fri 4-24: 4-27..4-30 1–4; 5-1..5-5 劳动节; 5-6..5-8 5–7; 5-9 (Sat, worked) 8; 5-11..5-15 9–13; 5-18 14; 5-19 is the 15th
            Due: new DateOnly(2026, 5, 19)),
        ["2001: 30 calendar days"] = new(In2025, Contract(ContractType.Development, ContractSubtype.Commissioned, In2025), "2001", Due: new DateOnly(2025, 7, 2), Expert: false),
        ["2001: no expert-review extension for a large contract"] = new(In2025, Contract(ContractType.Development, ContractSubtype.Commissioned, In2025, 50_000_000m), "2001", HasNot: ["expert_review"], Due: new DateOnly(2025, 7, 2), Expert: false),
        ["the version changes on the effective date"] = new(new DateOnly(2026, 1, 22), Contract(ContractType.Development, ContractSubtype.Commissioned, new DateOnly(2026, 1, 22)), "2001"),
        ["the 2026 version applies from its effective date"] = new(new DateOnly(2026, 1, 23), Contract(ContractType.Development, ContractSubtype.Commissioned, new DateOnly(2026, 1, 23)), "2026"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_rules_say_what_the_text_says(string name)
    {
        var c = Cases[name];
        var decision = Engine.Evaluate(c.Facts, c.Received, Calendar);
        var codes = decision.Findings.Select(f => f.Code).ToList();
        var detail = $"{name}: findings {string.Join(", ", decision.Findings.Select(f => $"{f.Code}/{f.Severity}"))}";

        Assert.Equal(c.Version, decision.RuleVersion);
        foreach (var code in c.Has ?? []) Assert.True(codes.Contains(code), $"{detail} — expected {code}");
        foreach (var code in c.HasNot ?? []) Assert.False(codes.Contains(code), $"{detail} — did not expect {code}");
        if (c.Registrable is { } registrable) Assert.True(registrable == decision.Registrable, detail);
        if (c.Amount is not null || c.Has?.Contains("price_unclear") == true) Assert.Equal(c.Amount, decision.TechnologyTransactionAmount);
        if (c.Due is { } due) Assert.Equal(due, decision.DecisionDue);
        if (c.Expert is { } expert) Assert.Equal(expert, decision.ExpertReview);
        if (c.Reliefs is not null)
            Assert.Equal(c.Reliefs.Order(), decision.TaxReliefs.Where(r => !r.Conditional).Select(r => r.Code).Order());
        if (c.ConditionalReliefs is not null)
            Assert.Equal(c.ConditionalReliefs.Order(), decision.TaxReliefs.Where(r => r.Conditional).Select(r => r.Code).Order());

        // every finding names its version and a rule of that version
        Assert.All(decision.Findings, f =>
        {
            Assert.Equal(c.Version, f.RuleVersion);
            Assert.Contains(c.Version == "2001" ? "2001" : "2026", f.RuleRef.Replace("2000", "2001", StringComparison.Ordinal));
        });
        Assert.False(string.IsNullOrEmpty(decision.DeadlineRule));
    }

    [Theory]
    [InlineData("ordinary", false, 6, "财税〔2015〕116号 第二条")]
    [InlineData("sole", false, 5, "财税〔2015〕116号 第二条")]
    [InlineData("exclusive", true, 5, "财税〔2010〕111号")]
    public void Each_relief_cites_the_text_it_rests_on(string exclusivity, bool worldwide, int years, string eitText)
    {
        var licence = Contract(ContractType.License, ContractSubtype.PatentLicense, In2026) with
        {
            Exclusivity = Enum.Parse<Exclusivity>(exclusivity, ignoreCase: true),
            LicenseWorldwide = worldwide,
            LicenseTermYears = years,
        };
        var reliefs = Engine.Evaluate(licence, In2026, Calendar).TaxReliefs.ToDictionary(r => r.Code);
        Assert.Contains("企业所得税法实施条例 第九十条", reliefs["eit_transfer_income"].RuleRef);
        Assert.Contains(eitText, reliefs["eit_transfer_income"].RuleRef);
        Assert.False(reliefs["eit_transfer_income"].Conditional);
        Assert.Contains("财税〔2016〕36号 附件3 第一条第（二十六）项", reliefs["vat_exemption"].RuleRef);

        var transfer = Engine.Evaluate(Contract(ContractType.Transfer, ContractSubtype.PatentTransfer, In2026), In2026, Calendar).TaxReliefs.Single(r => r.Code == "eit_transfer_income");
        Assert.Contains("财税〔2010〕111号", transfer.RuleRef);
        var consulting = Engine.Evaluate(Contract(ContractType.Consulting, ContractSubtype.Consulting, In2026), In2026, Calendar).TaxReliefs.Single();
        Assert.Contains("财税〔2016〕36号", consulting.RuleRef);
        Assert.Contains("同一张发票", consulting.Condition);
    }

    [Fact]
    public void The_table_covers_at_least_thirty_cases() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Fact]
    public void The_2026_numbers_come_from_configuration()
    {
        var engine = new RulesEngine([new Rules2001(), new Rules2026(new Rules2026Options { DecisionWorkingDays = 10, LargeContractAmount = 1_000_000m })]);
        var decision = engine.Evaluate(Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 900_000m), In2026, Calendar);
        Assert.Equal(new DateOnly(2026, 3, 16), decision.DecisionDue);
        Assert.True(engine.Evaluate(Contract(ContractType.Development, ContractSubtype.Commissioned, In2026, 1_000_000m), In2026, Calendar).ExpertReview);
    }
}
