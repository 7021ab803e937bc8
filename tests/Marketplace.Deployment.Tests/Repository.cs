using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Marketplace.Deployment.Tests;

/// <summary>The repository the tests were built from: its sources, its deployment files.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test output.");
    }

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>A YAML document as nested dictionaries and lists, with merge keys (<c>&lt;&lt;: *anchor</c>) applied.</summary>
    public static Dictionary<object, object> Yaml(string text)
    {
        var parser = new MergingParser(new Parser(new StringReader(text)));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser);
    }

    private static readonly Lazy<string[]> CodeFiles = new(() =>
        new[] { "services", "gateway" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToArray());

    private static readonly Lazy<JsonNode[]> Settings = new(() =>
        new[] { "services", "gateway" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "appsettings*.json", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToArray());

    /// <summary>Settings of the hosting layer itself, not of the market's code.</summary>
    private static readonly string[] HostSettings = ["URLS", "ASPNETCORE_", "DOTNET_"];

    /// <summary>
    /// Whether the services read a configuration key given as an environment variable
    /// (<c>Storage__Provider</c>): the key appears in the code (<c>"Demo:Seed"</c>), or it is a
    /// property of an options class bound to its section, or it is a setting in an appsettings file.
    /// </summary>
    public static bool IsRead(string environmentVariable)
    {
        if (HostSettings.Any(h => environmentVariable.StartsWith(h, StringComparison.Ordinal))) return true;
        var path = environmentVariable.Split("__");
        // an element of a list (Section__List__0) is read where the list is
        while (path.Length > 2 && path[^1].All(char.IsAsciiDigit)) path = path[..^1];
        if (path.Length < 2) return false;
        var key = string.Join(':', path);
        if (CodeFiles.Value.Any(c => c.Contains($"\"{key}\"", StringComparison.Ordinal))) return true;
        for (var split = path.Length - 1; split >= 1; split--)
        {
            var section = string.Join(':', path[..split]);
            if (path.Length - split == 1 && OptionsProperty(section, path[split])) return true;
        }
        return Settings.Value.Any(s => HasPath(s, path));
    }

    private static bool OptionsProperty(string section, string property)
    {
        var bound = new Regex($@"(?:Configure<(?<type>\w+)>\([^)]*GetSection\(""{Regex.Escape(section)}""\)|GetSection\(""{Regex.Escape(section)}""\)\.Get<(?<type>\w+)>)");
        // or the section is kept in a variable first: var section = ...GetSection("Messaging"); Configure<MessagingOptions>(section)
        var throughVariable = new Regex($@"var (?<var>\w+) = [\w.]*GetSection\(""{Regex.Escape(section)}""\);[\s\S]*?(?:Configure<(?<type>\w+)>\(\k<var>\)|\k<var>\.Get<(?<type>\w+)>\()");
        var types = CodeFiles.Value.SelectMany(c => bound.Matches(c).Concat(throughVariable.Matches(c))).Select(m => m.Groups["type"].Value).Distinct().ToList();
        return types.Any(type => CodeFiles.Value.Any(c =>
            Regex.IsMatch(c, $@"(class|record) {type}\b[\s\S]*?\bpublic [\w<>?,\[\] ]+ {Regex.Escape(property)} \{{")));
    }

    private static bool HasPath(JsonNode node, string[] path)
    {
        var current = node;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj) return false;
            var next = obj.FirstOrDefault(p => string.Equals(p.Key, segment, StringComparison.OrdinalIgnoreCase));
            if (next.Value is null && next.Key is null) return false;
            current = next.Value!;
        }
        return true;
    }

    /// <summary>The document stores the hosts open (<c>StoreKey</c>), each a MongoDB database <c>marketplace-&lt;key&gt;</c>.</summary>
    public static IReadOnlyList<string> StoreKeys() =>
        CodeFiles.Value.SelectMany(c => Regex.Matches(c, @"public const string StoreKey = ""(?<key>[a-z]+)"";")).Select(m => m.Groups["key"].Value).Distinct().Order().ToList();

    /// <summary>The port a host's image listens on (the <c>URLS</c> set in its Dockerfile).</summary>
    public static int ImagePort(string dockerfile)
    {
        var match = Regex.Match(Read(dockerfile), @"URLS=http://\+:(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{dockerfile} sets no URLS.");
    }
}
