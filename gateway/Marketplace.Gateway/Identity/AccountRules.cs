using System.Text.RegularExpressions;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Gateway.Identity;

/// <summary>What makes an account acceptable: its username, its password and its role in its organisation.</summary>
public static partial class AccountRules
{
    /// <summary>
    /// Usernames are 3–32 lower-case ASCII letters, digits, '.', '-' and '_', beginning with a
    /// letter or digit — the alphabet of POSIX portable user names (Linux <c>useradd</c>'s default,
    /// 32 at most). A username travels in URLs (<c>Location</c>, <c>/accounts/{username}/unlock</c>),
    /// in the JWT <c>sub</c>, in logs and exports: ASCII keeps it one spelling — no look-alike letters
    /// of other scripts (Unicode TR #36), no normalisation forms, no control characters. Lower case
    /// only, because sign-in folds case: the stored name is the one typed.
    /// </summary>
    public const string UsernameRule =
        "用户名为 3–32 位小写英文字母、数字或 . - _，以字母或数字开头 / A username is 3–32 lower-case letters, digits, '.', '-' or '_', beginning with a letter or digit.";

    public static bool IsUsername(string? username) => username is not null && UsernamePattern().IsMatch(username);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,31}$")]
    private static partial Regex UsernamePattern();

    /// <summary>
    /// NIST SP 800-63B-4 §3.1.1.2: a password that is the only factor is at least 15 characters;
    /// verifiers should allow at least 64, count each Unicode code point as one character, and
    /// impose no composition rules. One upper bound for creation and sign-in, so that every password
    /// an account can be given is one it can sign in with (and hashing stays cheap to bound).
    /// </summary>
    public const int MinPasswordLength = 15;
    public const int MaxPasswordLength = 128;

    /// <param name="minimum">whether the password is being chosen (creation) rather than presented (sign-in)</param>
    public static Validator Password(this Validator validator, string? password, bool minimum)
    {
        if (string.IsNullOrEmpty(password)) return validator.Add("password", "密码不能为空 / password is required.");
        var length = password.EnumerateRunes().Count();
        return validator
            .Check(length <= MaxPasswordLength, "password", $"密码不能超过 {MaxPasswordLength} 个字符 / A password has at most {MaxPasswordLength} characters.")
            .Check(!minimum || length >= MinPasswordLength, "password", $"密码至少 {MinPasswordLength} 个字符 / A password needs at least {MinPasswordLength} characters.");
    }

    /// <summary>
    /// The one kind of organisation each role works in (DESIGN.md §1): registrars at registration
    /// points, tax staff at tax offices, operators at a market operator, brokers at a technology-transfer
    /// agency, admins at the platform. A role in the wrong kind would be trusted for work its
    /// organisation does not do (a "registrar" inside a university registering its own contracts).
    /// </summary>
    public static OrganisationKind KindFor(string role) => role switch
    {
        Roles.University => OrganisationKind.University,
        Roles.Enterprise => OrganisationKind.Enterprise,
        Roles.Broker => OrganisationKind.BrokerAgency,
        Roles.Operator => OrganisationKind.MarketOperator,
        Roles.Registrar => OrganisationKind.RegistrationPoint,
        Roles.Tax => OrganisationKind.TaxOffice,
        Roles.Admin => OrganisationKind.Platform,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    public static string Misfit(string role, OrganisationKind kind) =>
        $"“{role}”角色只能属于{KindName(KindFor(role))}，不能属于{KindName(kind)} / The {role} role belongs to a {KindWords(KindFor(role))}, not a {KindWords(kind)}.";

    private static string KindName(OrganisationKind kind) => kind switch
    {
        OrganisationKind.University => "高校、科研院所",
        OrganisationKind.Enterprise => "企业",
        OrganisationKind.BrokerAgency => "技术转移机构",
        OrganisationKind.MarketOperator => "市场运营机构",
        OrganisationKind.RegistrationPoint => "技术合同登记点",
        OrganisationKind.TaxOffice => "税务机关",
        OrganisationKind.Platform => "平台运维机构",
        _ => kind.ToString(),
    };

    private static string KindWords(OrganisationKind kind) => kind switch
    {
        OrganisationKind.University => "university or research institute",
        OrganisationKind.Enterprise => "enterprise",
        OrganisationKind.BrokerAgency => "technology-transfer agency",
        OrganisationKind.MarketOperator => "market operator",
        OrganisationKind.RegistrationPoint => "contract registration point",
        OrganisationKind.TaxOffice => "tax office",
        OrganisationKind.Platform => "platform operator",
        _ => kind.ToString(),
    };
}
