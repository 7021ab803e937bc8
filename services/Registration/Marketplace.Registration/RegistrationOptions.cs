namespace Marketplace.Registration;

/// <summary>The <c>Registration</c> section of the configuration.</summary>
internal sealed class RegistrationOptions
{
    /// <summary>Two-digit registration point codes by sub-market (the third part of a number); "01" when not listed.</summary>
    public Dictionary<string, string> PointCodes { get; set; } = [];

    /// <summary>ES256 key of the registration authority (PEM); created on first start when missing.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The turnover target: the plan's doubling of turnover against a base year.</summary>
    public int TargetBaseYear { get; set; } = 2025;
    /// <summary>The base year's turnover in yuan; when not set, the turnover registered here in the base year.</summary>
    public decimal? TargetBaseTurnover { get; set; }
    public decimal TargetMultiple { get; set; } = 2m;
    public int TargetYear { get; set; } = 2027;
}
