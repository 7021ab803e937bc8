namespace Marketplace.Registration.Rules;

/// <summary>
/// 《技术合同认定登记管理办法》(国科发政字〔2000〕063号) and 《技术合同认定规则》(国科发政字〔2001〕253号).
/// Licences were a kind of transfer then (专利实施许可); there is no equity or "other rights" subtype;
/// the agency decides within 30 days of accepting the application (art. 14).
/// </summary>
internal sealed class Rules2001 : RuleSet
{
    public override string Version => "2001";
    public override string Name => "2000 年《技术合同认定登记管理办法》与 2001 年《技术合同认定规则》";
    public override DateOnly EffectiveFrom => new(2001, 7, 18);

    protected override IReadOnlyDictionary<ContractType, ContractSubtype[]> Categories { get; } = new Dictionary<ContractType, ContractSubtype[]>
    {
        [ContractType.Development] = [ContractSubtype.Commissioned, ContractSubtype.Cooperative],
        [ContractType.Transfer] = [ContractSubtype.PatentTransfer, ContractSubtype.PatentApplicationTransfer, ContractSubtype.TechnicalSecretTransfer, ContractSubtype.PatentLicense],
        [ContractType.Consulting] = [ContractSubtype.Consulting],
        [ContractType.Service] = [ContractSubtype.TechnicalService, ContractSubtype.Training, ContractSubtype.Intermediary],
    };

    protected override string Ref(string code) => code switch
    {
        "incomplete" or "unknown_field" or "credit_code_invalid" or "region_code_invalid" or "contract_text_missing" => "管理办法（2000）第八条：提交完整的书面合同文本和登记表",
        "category_unknown" or "category_mismatch" or "service_subtype" => "认定规则（2001）第四条：技术开发、转让、咨询、服务合同及其子类",
        "same_party" or "not_in_force" => "认定规则（2001）第十条：合同无效或者尚未生效的，不予登记",
        "price_unclear" => "认定规则（2001）第十条：价款、报酬或使用费约定不明确的，不予登记",
        "dates_inconsistent" or "amount_invalid" or "costs_exceed_amount" => "认定规则（2001）第五十一条：核定合同总金额与技术交易额",
        "no_technology_content" => "认定规则（2001）第十条：不属于技术合同的，不予登记",
        "carrier_costs_kept" => "认定规则（2001）第五十二条、第五十三条：合理数量的技术载体费用不扣除",
        "ip_missing" or "ip_expired" => "认定规则（2001）第二十六条：转让的技术应为让与人已有的、权属清楚的技术",
        "service_with_ip" => "认定规则（2001）第四十二条：技术服务不涉及专利和技术秘密的转让",
        "license_as_transfer" => "认定规则（2001）第四条：专利实施许可属技术转让合同",
        _ => "认定规则（2001）",
    };

    // calendar days: no working-day calendar is involved
    protected override (WorkingDeadline Due, bool ExpertReview, string Rule) Deadline(ContractFacts facts, decimal? technologyAmount, DateOnly receivedOn, WorkingCalendar calendar) =>
        (new WorkingDeadline(receivedOn.AddDays(30), []), false, "管理办法（2000）第十四条：自受理之日起 30 日内完成认定登记");

    protected override IEnumerable<Finding> VersionFindings(ContractFacts facts, decimal? technologyAmount)
    {
        if (facts.Type == ContractType.License)
            yield return new Finding("license_as_transfer", Severity.Error,
                "2001 年规则中许可属于技术转让：请按“技术转让 / 专利实施许可”申报 / Under the 2001 rules a licence is a transfer (patent licence).",
                Version, Ref("license_as_transfer"), "type");
    }
}

/// <summary>The numbers of the 2026 measures that are not certain yet: configuration, with the 2024 draft's values as defaults.</summary>
internal sealed class Rules2026Options
{
    /// <summary>The day the 2026 measures apply from (they were issued 2026-01-23).</summary>
    public DateOnly EffectiveFrom { get; set; } = new(2026, 1, 23);
    public int DecisionWorkingDays { get; set; } = 15;
    public int ExpertReviewWorkingDays { get; set; } = 30;
    /// <summary>From this technology transaction amount a contract goes to expert review (yuan).</summary>
    public decimal LargeContractAmount { get; set; } = 5_000_000m;
}

/// <summary>
/// 《技术合同认定登记管理办法》(工业和信息化部, 2026) with its annex 《技术合同认定登记规则》: licensing is a
/// type of its own; equity contributions register as transfers; other rights (IC layouts, plant
/// varieties, software, new biomedical varieties) are covered; the decision is due in 15 working
/// days, 30 with expert review for large or disputed contracts (the draft's numbers, configurable).
/// </summary>
internal sealed class Rules2026(Rules2026Options options) : RuleSet
{
    public override string Version => "2026";
    public override string Name => "2026 年《技术合同认定登记管理办法》及《技术合同认定登记规则》";
    public override DateOnly EffectiveFrom => options.EffectiveFrom;

    protected override IReadOnlyDictionary<ContractType, ContractSubtype[]> Categories { get; } = new Dictionary<ContractType, ContractSubtype[]>
    {
        [ContractType.Development] = [ContractSubtype.Commissioned, ContractSubtype.Cooperative],
        [ContractType.Transfer] = [ContractSubtype.PatentTransfer, ContractSubtype.PatentApplicationTransfer, ContractSubtype.TechnicalSecretTransfer,
            ContractSubtype.OtherRightsTransfer, ContractSubtype.EquityContribution],
        [ContractType.License] = [ContractSubtype.PatentLicense, ContractSubtype.TechnicalSecretLicense, ContractSubtype.OtherRightsLicense],
        [ContractType.Consulting] = [ContractSubtype.Consulting],
        [ContractType.Service] = [ContractSubtype.TechnicalService, ContractSubtype.Training, ContractSubtype.Intermediary],
    };

    protected override string Ref(string code) => code switch
    {
        "incomplete" or "unknown_field" or "credit_code_invalid" or "region_code_invalid" => "管理办法（2026）第三章：申请材料与登记表",
        "contract_text_missing" => "管理办法（2026）第三章：申请登记须提交签订的书面合同文本",
        "category_unknown" or "category_mismatch" or "service_subtype" => "认定登记规则（2026）：技术开发、转让、许可、咨询、服务合同",
        "same_party" or "not_in_force" => "管理办法（2026）：合同生效后、有效期内申请；合同无效或尚未生效的不予登记",
        "price_unclear" => "认定登记规则（2026）：价款、报酬或使用费约定不明确的不予登记",
        "dates_inconsistent" or "amount_invalid" or "costs_exceed_amount" => "认定登记规则（2026）：核定成交额与技术交易额",
        "no_technology_content" => "认定登记规则（2026）：不属于技术合同的不予登记",
        "carrier_costs_kept" => "认定登记规则（2026）：合理数量的技术载体费用不扣除",
        "ip_missing" or "ip_expired" => "认定登记规则（2026）：转让、许可的技术应权属清楚，公有领域或已过保护期的不予登记",
        "service_with_ip" => "认定登记规则（2026）：技术服务不转移知识产权",
        "expert_review" => "管理办法（2026）：重大或有争议的合同组织专家评审，30 个工作日内办结",
        "equity_as_transfer" => "认定登记规则（2026）：技术入股按技术转让合同登记",
        _ => "管理办法（2026）",
    };

    protected override (WorkingDeadline Due, bool ExpertReview, string Rule) Deadline(ContractFacts facts, decimal? technologyAmount, DateOnly receivedOn, WorkingCalendar calendar)
    {
        var expert = facts.Disputed || technologyAmount >= options.LargeContractAmount;
        return expert
            ? (calendar.AddWorkingDays(receivedOn, options.ExpertReviewWorkingDays), true,
                $"管理办法（2026）：重大或有争议的合同 {options.ExpertReviewWorkingDays} 个工作日内办结（补正材料的，自补正之日起重新计算）")
            : (calendar.AddWorkingDays(receivedOn, options.DecisionWorkingDays), false,
                $"管理办法（2026）：{options.DecisionWorkingDays} 个工作日内办结（补正材料的，自补正之日起重新计算）");
    }

    protected override IEnumerable<Finding> VersionFindings(ContractFacts facts, decimal? technologyAmount)
    {
        if (facts.Disputed || technologyAmount >= options.LargeContractAmount)
            yield return new Finding("expert_review", Severity.Info,
                $"技术交易额达到 {options.LargeContractAmount:N0} 元或存在争议，需组织专家评审 / Large or disputed: expert review.", Version, Ref("expert_review"));
        if (facts.Subtype == ContractSubtype.EquityContribution)
            yield return new Finding("equity_as_transfer", Severity.Info, "技术入股按技术转让合同登记 / An equity contribution registers as a transfer.",
                Version, Ref("equity_as_transfer"), "subtype");
    }
}

/// <summary>
/// Picks the rule version in force on the day an application is received, and evaluates it on the
/// official working-day calendar the caller passes (loaded from the store by <c>WorkingCalendars</c>).
/// </summary>
internal sealed class RulesEngine(IEnumerable<RuleSet> versions)
{
    private readonly IReadOnlyList<RuleSet> _versions = versions.OrderBy(v => v.EffectiveFrom).ToList();

    public RuleSet VersionOn(DateOnly day) =>
        _versions.LastOrDefault(v => v.EffectiveFrom <= day) ?? _versions[0];

    /// <summary>The reliefs the contract can support under the version in force on the day it was received.</summary>
    public IReadOnlyList<TaxRelief> TaxReliefs(ContractFacts facts, DateOnly receivedOn) => VersionOn(receivedOn).TaxReliefs(facts);

    /// <param name="contractTextAttached">whether the signed contract text is attached; null for a self-check that has no documents.</param>
    public RuleDecision Evaluate(ContractFacts facts, DateOnly receivedOn, WorkingCalendar calendar, bool? contractTextAttached = null) =>
        VersionOn(receivedOn).Evaluate(facts, receivedOn, calendar, contractTextAttached);
}
