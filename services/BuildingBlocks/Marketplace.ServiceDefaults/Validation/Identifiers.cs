namespace Marketplace.ServiceDefaults.Validation;

/// <summary>统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters, the last a check character.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"; // no I, O, S, V, Z
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static bool IsValid(string? code)
    {
        if (code is null || code.Length != 18) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0) return false;
            sum += value * Weights[i];
        }
        return Alphabet.IndexOf(code[17], StringComparison.Ordinal) == CheckValue(sum);
    }

    /// <summary>Completes the first 17 characters with their check character (for tests and seed data).</summary>
    public static string WithCheck(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("17 characters expected.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        return first17 + Alphabet[CheckValue(sum)];
    }

    private static int CheckValue(int sum) => (31 - sum % 31) % 31;
}

/// <summary>
/// Chinese patent application numbers (专利申请号), per the CNIPA standard ZC 0006-2003:
/// since 2003-10-01, 12 digits (year 4, type 1, serial 7) then a check character; before it,
/// 8 digits (year 2, type 1, serial 5) then the check. The check is the digits weighted
/// 2,3,4,5,6,7,8,9,2,3,4,5 (8-digit form: 2–9), summed, mod 11; 10 is written X.
/// Accepted written forms: "202310123456.7", "ZL202310123456.7", "CN202310123456.7".
/// </summary>
public static class PatentApplicationNumber
{
    private static readonly int[] Weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

    public enum Kind { Invention, UtilityModel, Design }

    public static string Normalize(string number)
    {
        var s = number.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (s.StartsWith("ZL", StringComparison.Ordinal) || s.StartsWith("CN", StringComparison.Ordinal)) s = s[2..];
        return s;
    }

    /// <returns>null when valid, else the reason.</returns>
    public static string? Problem(string? number, Kind kind)
    {
        if (string.IsNullOrWhiteSpace(number)) return "专利申请号不能为空 / The application number is required.";
        var s = Normalize(number);
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || dot != s.Length - 2)
            return "专利申请号格式应为 12 位数字 + \".\" + 校验位，如 202310123456.7 / Expected 12 digits, a dot and the check character.";
        var digits = s[..dot];
        if ((digits.Length != 12 && digits.Length != 8) || !digits.All(char.IsAsciiDigit))
            return "专利申请号应为 12 位（2003 年前为 8 位）数字 / Expected 12 digits (8 before 2003).";
        var sum = 0;
        for (var i = 0; i < digits.Length; i++) sum += (digits[i] - '0') * Weights[i];
        var check = sum % 11;
        var expected = check == 10 ? 'X' : (char)('0' + check);
        if (s[^1] != expected) return $"专利申请号校验位错误 / The check character is wrong (expected {expected}).";
        var typeDigit = digits.Length == 12 ? digits[4] : digits[2];
        var typeOk = kind switch
        {
            Kind.Invention => typeDigit is '1' or '8',
            Kind.UtilityModel => typeDigit is '2' or '9',
            Kind.Design => typeDigit == '3',
            _ => false,
        };
        return typeOk ? null : "专利申请号的类型位与知识产权类型不符（1/8 发明，2/9 实用新型，3 外观设计）/ The type digit does not match the IP type.";
    }

    /// <summary>Appends the check character to 12 (or 8) digits (for tests and seed data).</summary>
    public static string WithCheck(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++) sum += (digits[i] - '0') * Weights[i];
        var check = sum % 11;
        return digits + "." + (check == 10 ? "X" : check.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
