using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Matching.Benchmarks;

/// <summary>A record of the CSL data set (../shared/data/csl-dev.jsonl): used for measurement only, never shipped as content.</summary>
public sealed record CslRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("abstract")] string Abstract,
    [property: JsonPropertyName("keywords")] string[] Keywords,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("subcategory")] string Subcategory)
{
    public static IReadOnlyList<CslRecord> Load(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<CslRecord>(l)!).ToList();

    public static string FindDataFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "csl-dev.jsonl");
            if (File.Exists(candidate)) return candidate;
            dir = dir.Parent;
        }
        throw new FileNotFoundException("csl-dev.jsonl not found; pass --data PATH.");
    }

    /// <summary>The market's field closest to a CSL category (门类), for realistic listings.</summary>
    public string Field => Category switch
    {
        "工学" => Subcategory.Contains("材料", StringComparison.Ordinal) ? "materials"
            : Subcategory.Contains("计算机", StringComparison.Ordinal) || Subcategory.Contains("信息", StringComparison.Ordinal) || Subcategory.Contains("电子", StringComparison.Ordinal) ? "info-tech"
            : Subcategory.Contains("交通", StringComparison.Ordinal) ? "transport"
            : Subcategory.Contains("航空", StringComparison.Ordinal) ? "aerospace"
            : Subcategory.Contains("环境", StringComparison.Ordinal) ? "environment"
            : Subcategory.Contains("电气", StringComparison.Ordinal) || Subcategory.Contains("动力", StringComparison.Ordinal) ? "new-energy"
            : "equipment",
        "农学" => "agriculture",
        "医学" => "biomed",
        "理学" => Subcategory.Contains("生物", StringComparison.Ordinal) ? "biomed" : "materials",
        _ => "tech-services",
    };
}
