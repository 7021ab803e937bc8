using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Marketplace.Deployment.Tests;

/// <summary>Runs only where Debian's docker-compose is installed (./test.sh installs it when run as root).</summary>
public sealed class DockerComposeFactAttribute : FactAttribute
{
    public static bool Installed { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(p => File.Exists(Path.Combine(p, "docker-compose"))) == true;

    public DockerComposeFactAttribute()
    {
        if (!Installed) Skip = "docker-compose is not installed (apt-get install docker-compose); ./test.sh installs it as root.";
    }
}

public sealed class ComposeTests
{
    private static readonly string[] Files = ["docker-compose.yml", "docker-compose.override.yml"];

    private static Dictionary<object, object> Services(string file) =>
        ((Dictionary<object, object>)Repository.Yaml(Repository.Read(file))["services"]).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static IEnumerable<(string Service, string Key, string Value)> Environment()
    {
        foreach (var file in Files)
            foreach (var (name, body) in Services(file))
                if (body is Dictionary<object, object> service && service.TryGetValue("environment", out var env) && env is Dictionary<object, object> vars)
                    foreach (var (key, value) in vars)
                        yield return ((string)name, (string)key, value?.ToString() ?? "");
    }

    /// <summary>The services built from this repository (the stores are images of their own), each with its Dockerfile and build arguments.</summary>
    private static Dictionary<string, ImageRecipe> OurServices() =>
        Services("docker-compose.yml")
            .Where(kv => kv.Value is Dictionary<object, object> s && s.ContainsKey("build"))
            .ToDictionary(kv => (string)kv.Key, kv =>
            {
                var build = (Dictionary<object, object>)((Dictionary<object, object>)kv.Value)["build"];
                var args = build.TryGetValue("args", out var a) ? ((Dictionary<object, object>)a).ToDictionary(x => (string)x.Key, x => (string)x.Value) : [];
                return new ImageRecipe((string)build["dockerfile"], args);
            });

    [Fact]
    public void The_four_services_are_built_from_one_Dockerfile()
    {
        var services = OurServices();
        Assert.Equal(["services/Dockerfile"], services.Where(s => s.Key != "gateway").Select(s => s.Value.Dockerfile).Distinct());
        Assert.Equal(["Broker", "Listing", "Matching", "Registration"], services.Where(s => s.Key != "gateway").Select(s => s.Value.Args["SERVICE"]).Order());
        foreach (var (service, recipe) in services)
            Assert.Equal($"Marketplace.{(service == "gateway" ? "Gateway" : recipe.Args["SERVICE"] + ".Api")}", Path.GetFileNameWithoutExtension(recipe.HostProject));
    }

    [DockerComposeFact]
    public async Task Docker_compose_accepts_the_files_with_and_without_the_development_override()
    {
        foreach (var arguments in new[] { "-f docker-compose.yml config -q", "-f docker-compose.yml -f docker-compose.override.yml config -q" })
        {
            using var process = Process.Start(new ProcessStartInfo("docker-compose", arguments)
            {
                WorkingDirectory = Repository.Root, RedirectStandardError = true, RedirectStandardOutput = true,
            })!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"docker-compose {arguments}: {errors}");
        }
    }

    [Fact]
    public void Every_configuration_key_set_in_compose_is_one_the_services_read()
    {
        var ours = OurServices();
        var unknown = Environment().Where(e => ours.ContainsKey(e.Service) && !Repository.IsRead(e.Key)).Select(e => $"{e.Service}: {e.Key}").ToList();
        Assert.True(unknown.Count == 0, "not read by any service: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_key_check_notices_a_misspelled_key()
    {
        Assert.True(Repository.IsRead("Storage__MongoConnectionString"));
        Assert.True(Repository.IsRead("ReverseProxy__Clusters__listing__Destinations__primary__Address"));
        Assert.True(Repository.IsRead("Demo__Seed"));
        Assert.False(Repository.IsRead("Storage__MongoConectionString"));
        Assert.False(Repository.IsRead("Registration__SigningKey"));
        Assert.False(Repository.IsRead("ReverseProxy__Clusters__listing__Destination__primary__Address"));
    }

    [Fact]
    public void Addresses_and_health_checks_match_the_services_ports_and_paths()
    {
        var ours = OurServices();
        foreach (var (service, key, value) in Environment())
        {
            foreach (Match url in Regex.Matches(value, @"http://(?<host>[a-z-]+):(?<port>\d+)"))
            {
                var host = url.Groups["host"].Value;
                Assert.True(ours.ContainsKey(host), $"{service} {key} points at {host}, which is not a service of the compose file");
                Assert.Equal(Repository.ImagePort(ours[host].Dockerfile), int.Parse(url.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        var code = Repository.Read("services/BuildingBlocks/Marketplace.ServiceDefaults/HostingExtensions.cs");
        var compose = Repository.Read("docker-compose.yml");
        foreach (Match path in Regex.Matches(compose, @"(/health/\w+)"))
            Assert.Contains($"\"{path.Value}\"", code);
        foreach (var (_, recipe) in ours)
        {
            var assembly = Path.GetFileNameWithoutExtension(recipe.HostProject);
            Assert.Contains($"\"{assembly}.dll\", \"healthcheck\"", compose);
            var text = recipe.Text;
            Assert.True(text.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", StringComparison.Ordinal)
                || (text.Contains($"APP_DLL={assembly}.dll", StringComparison.Ordinal) && text.Contains("exec dotnet \\\"$APP_DLL\\\"", StringComparison.Ordinal)), $"{recipe.Dockerfile} does not start {assembly}");
        }
        Assert.Contains("\"8080:8080\"", compose); // the gateway, where users come in
    }

    [Fact]
    public void Images_run_as_a_non_root_user_and_restore_from_the_project_files_they_need()
    {
        foreach (var (_, recipe) in OurServices())
        {
            var (dockerfile, text) = (recipe.Dockerfile, recipe.Text);
            Assert.Contains("\nUSER app\n", text);
            var restore = text.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
            Assert.True(restore > 0, dockerfile);
            // before the restore only project files and the build settings are copied
            foreach (Match copy in Regex.Matches(text[..restore], @"^COPY (?<what>.+) \S+$", RegexOptions.Multiline))
                Assert.All(copy.Groups["what"].Value.Split(' '), f => Assert.True(f.EndsWith(".csproj", StringComparison.Ordinal) || f is "global.json" or "Directory.Build.props" or "Directory.Packages.props" or ".editorconfig", $"{dockerfile}: {f} before restore"));
            // every project the host references is copied (its closure)
            foreach (var project in Closure(recipe.HostProject))
                Assert.Contains($"COPY {project} ", text);
        }
    }

    private static IEnumerable<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([project.Replace('\\', '/')]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (!seen.Add(next)) continue;
            var dir = Path.GetDirectoryName(next)!;
            foreach (Match reference in Regex.Matches(Repository.Read(next), @"ProjectReference Include=""(?<path>[^""]+)"""))
                queue.Enqueue(Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, dir, reference.Groups["path"].Value.Replace('\\', '/')))).Replace('\\', '/'));
        }
        return seen;
    }
}

/// <summary>A Dockerfile with the build arguments compose passes to it.</summary>
public sealed record ImageRecipe(string Dockerfile, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>The Dockerfile with its build arguments filled in (<c>${SERVICE}</c>), as the builder reads it.</summary>
    public string Text => Args.Aggregate(Repository.Read(Dockerfile), (text, arg) => text.Replace("${" + arg.Key + "}", arg.Value, StringComparison.Ordinal));

    /// <summary>The host project the image restores and publishes.</summary>
    public string HostProject => Regex.Match(Text, @"RUN dotnet restore (\S+\.csproj)") is { Success: true } m
        ? m.Groups[1].Value : throw new InvalidOperationException($"{Dockerfile} restores no project.");
}
