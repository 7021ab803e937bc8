using System.Xml.Linq;

namespace Marketplace.Architecture.Tests;

/// <summary>One project of the solution and what its .csproj references.</summary>
internal sealed record ProjectNode(string Name, IReadOnlyList<string> Projects, IReadOnlyList<string> Packages, IReadOnlyList<string> Frameworks);

/// <summary>
/// The solution's projects and their references, read from the .csproj files (what a build
/// would follow), so a rule can ask what a project depends on directly and transitively.
/// </summary>
internal sealed class ProjectGraph(IReadOnlyDictionary<string, ProjectNode> projects)
{
    public IReadOnlyDictionary<string, ProjectNode> Projects => projects;

    public static ProjectGraph Load(string repositoryRoot)
    {
        var nodes = new Dictionary<string, ProjectNode>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(repositoryRoot, "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj" || part.StartsWith('.'))) continue;
            var xml = XDocument.Load(file);
            string[] Includes(string item) =>
                [.. xml.Descendants().Where(e => e.Name.LocalName == item).Select(e => (string?)e.Attribute("Include")).OfType<string>()];
            var name = Path.GetFileNameWithoutExtension(file);
            nodes[name] = new ProjectNode(name,
                [.. Includes("ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/')))],
                Includes("PackageReference"),
                Includes("FrameworkReference"));
        }
        return new ProjectGraph(nodes);
    }

    /// <summary>This graph with one more project reference (to show a rule catches it).</summary>
    public ProjectGraph WithReference(string from, string to) =>
        With(from, node => node with { Projects = [.. node.Projects, to] });

    /// <summary>This graph with one more package reference.</summary>
    public ProjectGraph WithPackage(string project, string package) =>
        With(project, node => node with { Packages = [.. node.Packages, package] });

    /// <summary>Every project <paramref name="name"/> depends on, directly or through others.</summary>
    public IReadOnlySet<string> DependenciesOf(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(projects.TryGetValue(name, out var start) ? start.Projects : []);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next)) continue;
            if (projects.TryGetValue(next, out var node))
                foreach (var reference in node.Projects) pending.Push(reference);
        }
        return seen;
    }

    private ProjectGraph With(string name, Func<ProjectNode, ProjectNode> change)
    {
        var copy = new Dictionary<string, ProjectNode>(projects, StringComparer.Ordinal) { [name] = change(projects[name]) };
        return new ProjectGraph(copy);
    }
}

internal static class Repository
{
    /// <summary>The folder that holds Marketplace.sln, found upwards from the test's output folder.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Marketplace.sln"))) return directory.FullName;
        throw new InvalidOperationException("Marketplace.sln not found above " + AppContext.BaseDirectory);
    }
}
