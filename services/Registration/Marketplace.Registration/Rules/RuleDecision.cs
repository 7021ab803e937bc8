using System.Text.Json.Serialization;

namespace Marketplace.Registration.Rules;

/// <summary>
/// <c>Error</c>: incomplete or inconsistent — the application goes back for correction.
/// <c>Refusal</c>: a reason not to register (不予登记). <c>Warning</c> and <c>Info</c> inform the registrar.
/// </summary>
internal enum Severity { Error, Refusal, Warning, Info }

/// <summary>One thing the rules found; every finding names the rule version and the rule it comes from.</summary>
internal sealed record Finding(string Code, Severity Severity, string Message, string RuleVersion, string RuleRef, string? Field = null);

/// <summary>A tax relief the contract type can support, with the rule and what it still depends on.</summary>
internal sealed record TaxRelief(string Code, string Name, bool Conditional, string Condition, string RuleRef);

internal sealed record RuleDecision
{
    public required string RuleVersion { get; init; }
    public required string RuleVersionName { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>技术交易额: the contract amount minus the non-technical costs that are not reasonable carrier costs.</summary>
    public decimal? TechnologyTransactionAmount { get; init; }
    public decimal DeductedCosts { get; init; }
    /// <summary>The day a decision is due, counted from the day the complete application was received.</summary>
    public DateOnly? DecisionDue { get; init; }
    /// <summary>The deadline ran through a year whose official calendar is not loaded: counted on weekdays, it may still move.</summary>
    public bool DecisionDueProvisional { get; init; }
    /// <summary>The years without a loaded calendar the deadline ran through.</summary>
    public IReadOnlyList<int> CalendarYearsMissing { get; init; } = [];
    public required string DeadlineRule { get; init; }
    public bool ExpertReview { get; init; }
    public required IReadOnlyList<TaxRelief> TaxReliefs { get; init; }

    [JsonIgnore] public IEnumerable<Finding> Errors => Findings.Where(f => f.Severity == Severity.Error);
    [JsonIgnore] public IEnumerable<Finding> RefusalReasons => Findings.Where(f => f.Severity == Severity.Refusal);
    [JsonIgnore] public bool Registrable => !Findings.Any(f => f.Severity is Severity.Error or Severity.Refusal);
}
