using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Registration.Rules;

/// <summary>The refusal reasons of the Torch Centre list (2021-01-13); a registrar may also write one of their own.</summary>
internal static class RefusalCatalogue
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        ["invalid_or_not_in_force"] = "合同无效或者尚未生效",
        ["not_technology_contract"] = "不属于技术合同",
        ["terms_unclear"] = "当事人、标的、价款、报酬或使用费约定不明确",
        ["approval_missing"] = "缺少国家规定须经审批的批准文件",
        ["name_mismatch"] = "合同名称与权利义务不符且未按要求补正",
        ["restrictive_clauses"] = "含有非法垄断技术、妨碍技术进步的条款",
        ["proofs_missing"] = "证明材料缺失或不符合要求",
        ["seals_mismatch"] = "印章不全或与书面名称不符",
    };

    /// <summary>
    /// Each reason written out: a code of the catalogue, the code of a refusal the rules found for
    /// this application (<paramref name="found"/>), or the registrar's own words — anything else
    /// that looks like a code is an error in <paramref name="v"/>.
    /// </summary>
    public static IReadOnlyList<string> WriteOut(IReadOnlyList<string> given, IEnumerable<Finding> found, Validator v)
    {
        var rules = found.GroupBy(f => f.Code).ToDictionary(g => g.Key, g => $"{g.First().Message}（{g.First().RuleRef}）");
        var reasons = new List<string>();
        for (var i = 0; i < given.Count; i++)
        {
            var reason = given[i];
            if (Reasons.TryGetValue(reason, out var text)) reasons.Add($"{reason}: {text}");
            else if (rules.TryGetValue(reason, out var rule)) reasons.Add($"{reason}: {rule}");
            else if (reason.Length is >= 2 and <= 500 && !reason.All(c => char.IsAsciiLetterLower(c) || c == '_')) reasons.Add("other: " + reason);
            else v.Add($"reasons[{i}]", $"未知的理由代码“{reason}”；可用目录代码或写明理由 / Unknown reason code; use a catalogue code or write the reason out.");
        }
        return reasons;
    }
}
