using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Registration.Rules;

/// <summary>
/// One version of the registration rules. The checks every version shares live here; a version
/// says which categories it knows, how the decision deadline is counted and where each rule is written.
/// </summary>
internal abstract class RuleSet
{
    public abstract string Version { get; }
    public abstract string Name { get; }
    public abstract DateOnly EffectiveFrom { get; }

    /// <summary>The subtypes of each type this version registers.</summary>
    protected abstract IReadOnlyDictionary<ContractType, ContractSubtype[]> Categories { get; }

    /// <summary>The rule a finding code comes from, in this version's text.</summary>
    protected abstract string Ref(string code);

    protected abstract (WorkingDeadline Due, bool ExpertReview, string Rule) Deadline(ContractFacts facts, decimal? technologyAmount, DateOnly receivedOn, WorkingCalendar calendar);

    /// <summary>Findings only this version has.</summary>
    protected virtual IEnumerable<Finding> VersionFindings(ContractFacts facts, decimal? technologyAmount) => [];

    /// <param name="contractTextAttached">whether the signed contract text is attached; null when there are no documents to judge (a self-check).</param>
    public RuleDecision Evaluate(ContractFacts facts, DateOnly receivedOn, WorkingCalendar calendar, bool? contractTextAttached = null)
    {
        var findings = new List<Finding>();
        void Add(string code, Severity severity, string message, string? field = null) =>
            findings.Add(new Finding(code, severity, message, Version, Ref(code), field));

        Completeness(facts, Add);
        if (contractTextAttached == false)
            Add("contract_text_missing", Severity.Error,
                "缺少已签订的合同文本：请上传合同文本（PDF）后再提交 / The signed contract text is missing: attach it (kind contract_text) before submitting.", "documents");
        Category(facts, Add);
        Parties(facts, Add);
        Dates(facts, receivedOn, Add);
        var (amount, deducted) = Amount(facts, Add);
        IntellectualProperty(facts, Add);
        findings.AddRange(VersionFindings(facts, amount));
        var (due, expert, rule) = Deadline(facts, amount, receivedOn, calendar);
        if (due.Provisional)
            rule += $"；{string.Join("、", due.MissingYears)} 年节假日安排尚未载入，暂按周一至周五计算 / provisional: the {string.Join(", ", due.MissingYears)} holiday notice is not loaded, counted on weekdays";
        return new RuleDecision
        {
            RuleVersion = Version,
            RuleVersionName = Name,
            Findings = findings,
            TechnologyTransactionAmount = amount,
            DeductedCosts = deducted,
            DecisionDue = due.Due,
            DecisionDueProvisional = due.Provisional,
            CalendarYearsMissing = due.MissingYears,
            DeadlineRule = rule,
            ExpertReview = expert,
            TaxReliefs = TaxReliefs(facts),
        };
    }

    private static void Completeness(ContractFacts f, Action<string, Severity, string, string?> add)
    {
        void Required(bool present, string field, string label)
        {
            if (!present) add("incomplete", Severity.Error, $"缺少{label} / {field} is missing.", field);
        }
        Required(!string.IsNullOrWhiteSpace(f.Title), "title", "合同名称");
        Required(f.Type is not null, "type", "合同类别");
        Required(f.Subtype is not null, "subtype", "合同子类");
        Required(f.Field is not null, "field", "技术领域");
        Required(!string.IsNullOrWhiteSpace(f.Seller?.Name), "seller.name", "卖方名称");
        Required(!string.IsNullOrWhiteSpace(f.Buyer?.Name), "buyer.name", "买方名称");
        Required(f.SignedOn is not null, "signedOn", "签订日期");
        Required(f.ValidFrom is not null, "validFrom", "有效期起");
        Required(f.ValidTo is not null, "validTo", "有效期止");
        Required(f.TotalAmount is not null, "totalAmount", "合同总金额");
        if (f.Field is not null && !ReferenceData.IsField(f.Field))
            add("unknown_field", Severity.Error, CommonRules.UnknownField(f.Field), "field");
        if (f.Type is ContractType.License)
        {
            Required(f.LicenseTermYears is not null, "licenseTermYears", "许可年限");
            Required(f.Exclusivity is not null, "exclusivity", "许可方式（独占/排他/普通）");
        }
    }

    private void Category(ContractFacts f, Action<string, Severity, string, string?> add)
    {
        if (f.Type is not { } type || f.Subtype is not { } subtype) return;
        if (!Categories.TryGetValue(type, out var subtypes))
        {
            add("category_unknown", Severity.Error, $"{Name}未设“{type}”类合同，请按本版本的类别申报 / This rule version has no type {type}.", "type");
            return;
        }
        if (!subtypes.Contains(subtype))
            add("category_mismatch", Severity.Error, $"子类“{subtype}”不属于“{type}”（或本版本规则未设此子类）/ Subtype {subtype} is not one of type {type} in this version.", "subtype");
        if (subtype is ContractSubtype.Training or ContractSubtype.Intermediary)
            add("service_subtype", Severity.Info, "技术培训、技术中介合同按技术服务合同登记 / Training and intermediary contracts register as technical services.", "subtype");
    }

    private static void Parties(ContractFacts f, Action<string, Severity, string, string?> add)
    {
        foreach (var (party, name) in new[] { (f.Seller, "seller"), (f.Buyer, "buyer") })
        {
            if (party is null) continue;
            if (!CreditCode.IsValid(party.CreditCode))
                add("credit_code_invalid", Severity.Error, "统一社会信用代码无效（18 位，含校验位）/ Not a valid unified social credit code.", $"{name}.creditCode");
            if (!RegionCode.IsValid(party.RegionCode))
                add("region_code_invalid", Severity.Error, "行政区划代码无效（GB/T 2260，6 位）/ Not a GB/T 2260 region code.", $"{name}.regionCode");
        }
        if (f.Seller?.CreditCode is { Length: > 0 } seller && seller == f.Buyer?.CreditCode)
            add("same_party", Severity.Refusal, "买卖双方为同一主体，不构成技术合同 / Seller and buyer are the same entity: not a contract.", "buyer.creditCode");
    }

    private static void Dates(ContractFacts f, DateOnly receivedOn, Action<string, Severity, string, string?> add)
    {
        if (f.ValidFrom is { } from && f.ValidTo is { } to && to < from)
            add("dates_inconsistent", Severity.Error, "有效期止早于有效期起 / validTo is before validFrom.", "validTo");
        if (f.SignedOn is { } signed && f.ValidFrom is { } start && signed > start)
            add("dates_inconsistent", Severity.Error, "签订日期晚于生效日期 / signedOn is after validFrom.", "signedOn");
        if (f.SignedOn is { } signedOn && signedOn > receivedOn)
            add("dates_inconsistent", Severity.Error, "签订日期晚于申请日期 / signedOn is after the application date.", "signedOn");
        if (f.ValidTo is { } end && end < receivedOn)
            add("not_in_force", Severity.Refusal, "合同有效期已届满，应在有效期内申请登记 / The contract expired before the application.", "validTo");
        if (f.ValidFrom is { } begins && begins > receivedOn)
            add("not_in_force", Severity.Refusal, "合同尚未生效 / The contract is not yet in force.", "validFrom");
    }

    private static (decimal? Amount, decimal Deducted) Amount(ContractFacts f, Action<string, Severity, string, string?> add)
    {
        for (var i = 0; i < f.NonTechnicalCosts.Count; i++)
        {
            var cost = f.NonTechnicalCosts[i];
            if (string.IsNullOrWhiteSpace(cost.Item))
                add("incomplete", Severity.Error, "非技术性费用须写明项目 / Name each non-technical cost item.", $"nonTechnicalCosts[{i}].item");
            if (cost.Amount is not ({ } a and >= 0) || decimal.Round(a, 2) != a)
                add("amount_invalid", Severity.Error, "费用金额须为非负数、最多两位小数 / A cost is a non-negative amount with at most two decimals.", $"nonTechnicalCosts[{i}].amount");
        }
        if (f.TotalAmount is not { } total) return (null, 0m);
        if (total <= 0)
        {
            add("price_unclear", Severity.Refusal, "合同价款、报酬或使用费约定不明确 / The price, fee or royalty is not clearly agreed.", "totalAmount");
            return (null, 0m);
        }
        if (decimal.Round(total, 2) != total)
        {
            add("amount_invalid", Severity.Error, "金额最多两位小数（元）/ Amounts are yuan with at most two decimals.", "totalAmount");
            return (null, 0m);
        }
        var deducted = f.NonTechnicalCosts.Where(c => !c.Carrier && c.Amount is >= 0).Sum(c => c.Amount!.Value);
        if (deducted > total)
        {
            add("costs_exceed_amount", Severity.Error, "非技术性费用超过合同总金额 / Non-technical costs exceed the contract amount.", "nonTechnicalCosts");
            return (null, deducted);
        }
        var amount = total - deducted;
        if (amount == 0)
            add("no_technology_content", Severity.Refusal, "扣除非技术性费用后技术交易额为零，不属于技术合同 / Nothing is left for technology: not a technology contract.", "nonTechnicalCosts");
        if (f.NonTechnicalCosts.Any(c => c.Carrier))
            add("carrier_costs_kept", Severity.Info, "合理数量的技术载体费用不从技术交易额中扣除 / Reasonable technology-carrier costs stay in the amount.", "nonTechnicalCosts");
        return (amount, deducted);
    }

    private static void IntellectualProperty(ContractFacts f, Action<string, Severity, string, string?> add)
    {
        var needsIp = f.Subtype is ContractSubtype.PatentTransfer or ContractSubtype.PatentApplicationTransfer or ContractSubtype.PatentLicense
            or ContractSubtype.OtherRightsTransfer or ContractSubtype.OtherRightsLicense;
        if (needsIp && f.IpItems.Count == 0)
            add("ip_missing", Severity.Error, "转让或许可合同须列明所涉知识产权 / Transfers and licences must list the rights they concern.", "ipItems");
        for (var i = 0; i < f.IpItems.Count; i++)
        {
            var item = f.IpItems[i];
            if (item.Type is null || string.IsNullOrWhiteSpace(item.Number))
                add("incomplete", Severity.Error, "知识产权须写明类型和编号 / Each IP item needs a type and a number.", $"ipItems[{i}]");
            if (item.ExpiresOn is { } expires && f.SignedOn is { } signed && expires < signed)
                add("ip_expired", Severity.Refusal, "所涉知识产权已过保护期，属于公有领域 / The right has expired: it is in the public domain.", $"ipItems[{i}].expiresOn");
        }
        if (f.Type is ContractType.Consulting or ContractType.Service && f.IpItems.Count > 0)
            add("service_with_ip", Severity.Warning, "技术咨询、服务合同不转移知识产权；如涉及权利转移，应按转让或许可申报 / Consulting and service do not transfer rights; declare a transfer or licence if they do.", "ipItems");
    }

    /// <summary>
    /// Which reliefs the contract can support, each citing the text it rests on; the tax office decides the case.
    /// Sources (domain notes §2): VAT — 财税〔2016〕36号 annex 3, art. 1(26); EIT — 企业所得税法实施条例 art. 90 (5 million
    /// yuan a year exempt, the rest halved), 财税〔2010〕111号 (the rights that qualify; ownership or an exclusive worldwide
    /// licence of five years or more; domestic transfers registered by a provincial science department) and
    /// 财税〔2015〕116号 art. 2 (since 2015-10-01 a non-exclusive licence of five years or more qualifies too).
    /// </summary>
    public virtual IReadOnlyList<TaxRelief> TaxReliefs(ContractFacts f)
    {
        var reliefs = new List<TaxRelief>();
        const string vatRef = "财税〔2016〕36号 附件3 第一条第（二十六）项：技术转让、技术开发和与之相关的技术咨询、技术服务免征增值税";
        switch (f.Type)
        {
            case ContractType.Development or ContractType.Transfer or ContractType.License:
                reliefs.Add(new TaxRelief("vat_exemption", "增值税免征 / VAT exemption", false,
                    "技术转让（含许可使用权）、技术开发收入，凭省级科技主管部门认定登记的合同免征增值税 / Transfer (licences included) and development income is exempt with the registered contract.", vatRef));
                break;
            case ContractType.Consulting or ContractType.Service:
                reliefs.Add(new TaxRelief("vat_exemption", "增值税免征 / VAT exemption", true,
                    "仅限与技术转让、技术开发相关且与其价款开具在同一张发票上的咨询、服务 / Only consulting or service tied to a transfer or development, on the same invoice.", vatRef));
                break;
        }

        // 111号 art. 1: patents (inventions, utility models, designs that are more than a simple change of a product's
        // pattern), software copyright, IC layouts, plant varieties — technical secrets are not among them
        var rights = f.IpItems.Select(i => i.Type).Where(t => t is IpType.InventionPatent or IpType.UtilityModel or IpType.DesignPatent
            or IpType.SoftwareCopyright or IpType.IcLayout or IpType.PlantVariety).ToList();
        if (rights.Count == 0) return reliefs;
        var onlyDesigns = rights.All(t => t == IpType.DesignPatent);
        const string eitName = "技术转让所得减免企业所得税（500 万元以内免征，超过部分减半）/ EIT relief on technology-transfer income";
        const string art90 = "企业所得税法实施条例 第九十条";
        const string ownershipRef = art90 + "；财税〔2010〕111号 第一条、第二条（所有权或 5 年以上全球独占许可）";
        const string nonExclusiveRef = art90 + "；财税〔2015〕116号 第二条（自 2015-10-01 起 5 年以上非独占许可）";
        const string designCondition = "外观设计须非简单改变产品图案（财税〔2010〕111号 第一条），以税务机关审核为准 / A design qualifies unless it only changes a product's pattern, as the tax office confirms.";

        // a licence is its own type since 2026; under the 2001 rules a patent licence was filed as a transfer
        var licence = f.Type is ContractType.License || f.Subtype is ContractSubtype.PatentLicense;
        if (!licence && f.Type is ContractType.Transfer && f.Subtype is not ContractSubtype.TechnicalSecretTransfer)
        {
            reliefs.Add(new TaxRelief("eit_transfer_income", eitName, onlyDesigns,
                onlyDesigns ? designCondition : "转让专利、软件著作权、集成电路布图设计、植物新品种等的所有权 / Transfer of ownership of a qualifying right.",
                ownershipRef));
        }
        else if (licence)
        {
            var exclusiveWorldwide = f.Exclusivity == Exclusivity.Exclusive && f.LicenseWorldwide;
            var rule = exclusiveWorldwide ? ownershipRef : nonExclusiveRef;
            if (f.LicenseTermYears is null)
                reliefs.Add(new TaxRelief("eit_transfer_income", eitName, true,
                    "许可期限 5 年以上（含 5 年）方可享受，合同未写明许可年限 / Only a licence of five years or more qualifies; the term is not stated.", rule));
            else if (f.LicenseTermYears >= 5)
                reliefs.Add(new TaxRelief("eit_transfer_income", eitName, onlyDesigns,
                    onlyDesigns ? designCondition
                    : exclusiveWorldwide ? "5 年以上全球独占许可 / An exclusive worldwide licence of five years or more."
                    : "5 年以上许可（独占、排他或普通），自 2015-10-01 起适用 / A licence of five years or more, exclusive or not, since 2015-10-01.",
                    rule));
        }
        return reliefs;
    }
}
