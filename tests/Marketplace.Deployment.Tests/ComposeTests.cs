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
    public void The_five_services_are_built_from_one_Dockerfile()
    {
        var services = OurServices();
        Assert.Equal(["services/Dockerfile"], services.Where(s => s.Key != "gateway").Select(s => s.Value.Dockerfile).Distinct());
        Assert.Equal(["Broker", "Listing", "Matching", "Notifications", "Registration"], services.Where(s => s.Key != "gateway").Select(s => s.Value.Args["SERVICE"]).Order());
        foreach (var (service, recipe) in services)
            Assert.Equal($"Marketplace.{(service == "gateway" ? "Gateway" : recipe.Args["SERVICE"] + ".Api")}", Path.GetFileNameWithoutExtension(recipe.HostProject));
    }

    [DockerComposeFact]
    public async Task Docker_compose_accepts_the_files_with_and_without_the_development_override()
    {
        using var env = new EnvFile(RequiredVariables().ToDictionary(v => v, v => "0123abcd"));
        foreach (var files in new[] { "-f docker-compose.yml", "-f docker-compose.yml -f docker-compose.override.yml" })
        {
            var (exit, _, errors) = await DockerCompose($"--env-file {env.Path} {files} config -q");
            Assert.True(exit == 0, $"docker-compose {files} config: {errors}");
        }
    }

    [DockerComposeFact]
    public async Task Docker_compose_refuses_to_start_without_the_store_passwords()
    {
        var required = RequiredVariables();
        Assert.NotEmpty(required);
        foreach (var missing in required)
        {
            using var env = new EnvFile(required.Where(v => v != missing).ToDictionary(v => v, v => "0123abcd"));
            var (exit, _, errors) = await DockerCompose($"--env-file {env.Path} -f docker-compose.yml config -q");
            Assert.True(exit != 0, $"docker-compose accepted the file without {missing}");
            Assert.Contains(missing, errors);
        }
    }

    [DockerComposeFact]
    public async Task The_published_port_and_the_storage_provider_are_chosen_by_environment_variables()
    {
        var values = RequiredVariables().ToDictionary(v => v, v => "0123abcd");
        values["MARKET_PORT"] = "9090";
        values["STORAGE_PROVIDER"] = "LiteDb";
        using var env = new EnvFile(values);
        var (exit, output, errors) = await DockerCompose($"--env-file {env.Path} -f docker-compose.yml config");
        Assert.True(exit == 0, errors);
        var services = (Dictionary<object, object>)Repository.Yaml(output)["services"];
        var gatewayPorts = ((List<object>)((Dictionary<object, object>)services["gateway"])["ports"]).Select(PublishedPort).ToList();
        Assert.Equal(["9090"], gatewayPorts);
        foreach (var service in OurServices().Keys)
        {
            var environment = (Dictionary<object, object>)((Dictionary<object, object>)services[service])["environment"];
            Assert.Equal("LiteDb", (string)environment["Storage__Provider"]);
        }
    }

    private static string PublishedPort(object port) => port switch
    {
        string text => text.Split(':')[^2],
        Dictionary<object, object> map => map["published"].ToString()!,
        _ => throw new InvalidOperationException($"unexpected port {port}"),
    };

    /// <summary>The variables docker-compose.yml refuses to run without (<c>${NAME:?why}</c>).</summary>
    private static List<string> RequiredVariables() =>
        Regex.Matches(Repository.Read("docker-compose.yml"), @"\$\{(?<name>\w+):\?").Select(m => m.Groups["name"].Value).Distinct().Order().ToList();

    private static async Task<(int Exit, string Output, string Errors)> DockerCompose(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("docker-compose", arguments)
        {
            WorkingDirectory = Repository.Root, RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, errors);
    }

    /// <summary>An env file for <c>docker-compose --env-file</c>, so that a developer's own <c>.env</c> plays no part.</summary>
    private sealed class EnvFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public EnvFile(IReadOnlyDictionary<string, string> values) =>
            File.WriteAllLines(Path, values.Select(v => $"{v.Key}={v.Value}"));

        public void Dispose() => File.Delete(Path);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the README's commands are for a Unix shell
    public void The_signing_keys_the_readme_makes_can_be_read_by_the_containers_user()
    {
        // Compose mounts a file secret as the file is (docker compose and podman-compose both ignore
        // uid, gid and mode for file secrets), so the mode the README's commands give is what uid 1654 gets.
        var dir = Directory.CreateTempSubdirectory("compose-secrets-");
        try
        {
            var script = string.Join('\n', ReadmeSetup());
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-euc", script]) { WorkingDirectory = dir.FullName, RedirectStandardError = true })!;
            var errors = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, $"{script}\n{errors}");
            var secrets = (Dictionary<object, object>)Repository.Yaml(Repository.Read("docker-compose.yml"))["secrets"];
            Assert.NotEmpty(secrets);
            foreach (var (name, body) in secrets)
            {
                var file = Path.Combine(dir.FullName, (string)((Dictionary<object, object>)body)["file"]);
                Assert.True(File.Exists(file), $"the README's commands make no {file} for secret {name}");
                Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead), $"{name}: {File.GetUnixFileMode(file)} cannot be read by uid 1654");
                // readable inside the container, but the folder keeps the host's other users out
                var folder = File.GetUnixFileMode(Path.GetDirectoryName(file)!);
                Assert.False((folder & (UnixFileMode.OtherExecute | UnixFileMode.OtherRead | UnixFileMode.GroupExecute | UnixFileMode.GroupRead)) != 0, $"{Path.GetDirectoryName(file)}: {folder}");
            }
            // the passwords the compose file requires are set by the same commands
            var envFile = Path.Combine(dir.FullName, ".env");
            Assert.True(File.Exists(envFile), "the README's commands write no .env");
            var set = File.ReadAllLines(envFile).Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length >= 24).Select(p => p[0]).ToHashSet();
            Assert.All(RequiredVariables(), v => Assert.Contains(v, set));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The README's compose commands up to the one that starts compose: the set-up a user runs first.</summary>
    private static IEnumerable<string> ReadmeSetup()
    {
        var readme = Repository.Read("README.md");
        var section = readme[readme.IndexOf("## Docker Compose", StringComparison.Ordinal)..];
        var block = Regex.Match(section, @"```bash\n(?<body>[\s\S]*?)```").Groups["body"].Value;
        return block.Split('\n').TakeWhile(l => !l.StartsWith("docker compose", StringComparison.Ordinal) && !l.StartsWith("podman", StringComparison.Ordinal));
    }

    [Fact]
    public void The_gateway_and_the_services_talk_over_RabbitMQ_and_start_after_the_stores()
    {
        // the gateway publishes account changes (the notifications directory) in proxy mode too
        var services = Services("docker-compose.yml");
        foreach (var service in OurServices().Keys)
        {
            var env = Env(services, service);
            Assert.True(env.GetValueOrDefault("Messaging__Transport") == "RabbitMq", $"{service} does not use RabbitMQ");
            Assert.True(env.ContainsKey("Messaging__RabbitMqUri"), $"{service} gets no RabbitMQ address");
            var dependsOn = ((Dictionary<object, object>)services[service]).GetValueOrDefault("depends_on") as Dictionary<object, object>;
            foreach (var store in new[] { "mongodb", "rabbitmq" })
                Assert.True(dependsOn?.GetValueOrDefault(store) is Dictionary<object, object> d && (string)d["condition"] == "service_healthy", $"{service} does not wait for {store} to be healthy");
        }
    }

    [Fact]
    public void The_gateway_names_in_its_discovery_document_the_address_the_services_read_its_keys_from()
    {
        // the services read the gateway's signing keys at Auth__Authority; the gateway's discovery document names
        // its key set at its own Auth__Authority, or, without one, at its listening address (localhost:8080), which
        // inside a service's container is the service itself: tokens would fail with "signature key not found"
        var services = Services("docker-compose.yml");
        var gateway = Env(services, "gateway");
        Assert.True(gateway.TryGetValue("Auth__Authority", out var issuer), "the gateway has no Auth__Authority: its discovery document would name localhost");
        Assert.Equal("http://gateway:8080", issuer);
        foreach (var service in OurServices().Keys.Where(s => s != "gateway"))
            Assert.Equal(issuer, Env(services, service).GetValueOrDefault("Auth__Authority"));
    }

    [Fact]
    public void The_gateway_has_an_address_for_every_service_and_every_cluster_it_proxies()
    {
        var ours = OurServices();
        var gateway = Env(Services("docker-compose.yml"), "gateway");
        var addressed = gateway.Keys.Select(k => Regex.Match(k, @"^ReverseProxy__Clusters__(?<cluster>\w+)__Destinations__primary__Address$"))
            .Where(m => m.Success).ToDictionary(m => m.Groups["cluster"].Value, m => gateway[m.Value]);
        Assert.Equal(ours.Keys.Where(s => s != "gateway").Order(), addressed.Keys.Order());
        Assert.All(addressed, a => Assert.Equal($"http://{a.Key}:8080", a.Value));
        // and the clusters of the gateway's own configuration are all given one (the rest is its routes)
        var clusters = System.Text.Json.Nodes.JsonNode.Parse(Repository.Read("gateway/Marketplace.Gateway/appsettings.json"))!["ReverseProxy"]!["Clusters"]!.AsObject();
        Assert.NotEmpty(clusters);
        Assert.All(clusters.Select(c => c.Key), c => Assert.Contains(c, addressed.Keys));
    }

    [Fact]
    public void No_password_is_written_into_the_compose_files()
    {
        // every password is a variable from .env: required (${NAME:?why}) or, when it may be absent, empty by default (${NAME:-})
        var passwords = Environment().Where(e => e.Key.Split("__")[^1] is var name
            && (name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_PASS", StringComparison.Ordinal))).ToList();
        Assert.Contains(passwords, p => p.Key == "Notifications__Smtp__Password");
        Assert.All(passwords, p => Assert.Matches(@"^\$\{\w+(:\?[^}]+|:-)\}$", p.Value));
    }

    [Fact]
    public void No_variable_is_nested_in_another_ones_default()
    {
        // docker-compose 1 and podman-compose read the default up to the first '}': ${A:-x${B}} would be garbled
        var nested = new Regex(@"\$\{\w+:?[-?][^}]*\$\{");
        Assert.Matches(nested, "${MARKET_PUBLIC_URL:-http://localhost:${MARKET_PORT:-8080}}");
        foreach (var file in Files)
            Assert.DoesNotMatch(nested, Repository.Read(file));
    }

    [DockerComposeFact]
    public async Task Mail_is_optional_and_configured_from_the_environment()
    {
        var values = RequiredVariables().ToDictionary(v => v, v => "0123abcd");
        using (var env = new EnvFile(values))
        {
            var (exit, output, errors) = await DockerCompose($"--env-file {env.Path} -f docker-compose.yml config");
            Assert.True(exit == 0, errors);
            var notifications = Env((Dictionary<object, object>)Repository.Yaml(output)["services"], "notifications");
            Assert.Equal("", notifications["Notifications__Smtp__Host"]); // no host: no mail, the inbox works the same
            Assert.Equal("", notifications["Notifications__Smtp__Password"]);
            Assert.Equal("http://localhost:8080", notifications["Notifications__PublicBaseUrl"]);
        }
        values["MARKET_SMTP_HOST"] = "smtp.example.cn";
        values["MARKET_SMTP_PORT"] = "25";
        values["MARKET_SMTP_USE_TLS"] = "false";
        values["MARKET_SMTP_USERNAME"] = "market";
        values["MARKET_SMTP_PASSWORD"] = "s3cret";
        values["MARKET_PUBLIC_URL"] = "https://market.example.cn";
        using (var env = new EnvFile(values))
        {
            var (exit, output, errors) = await DockerCompose($"--env-file {env.Path} -f docker-compose.yml config");
            Assert.True(exit == 0, errors);
            var notifications = Env((Dictionary<object, object>)Repository.Yaml(output)["services"], "notifications");
            Assert.Equal("smtp.example.cn", notifications["Notifications__Smtp__Host"]);
            Assert.Equal("25", notifications["Notifications__Smtp__Port"]);
            Assert.Equal("false", notifications["Notifications__Smtp__UseTls"]);
            Assert.Equal("market", notifications["Notifications__Smtp__Username"]);
            Assert.Equal("s3cret", notifications["Notifications__Smtp__Password"]);
            Assert.Equal("https://market.example.cn", notifications["Notifications__PublicBaseUrl"]);
        }
    }

    [Fact]
    public void Secrets_are_mounted_without_settings_compose_would_ignore()
    {
        foreach (var (name, body) in Services("docker-compose.yml"))
            if (body is Dictionary<object, object> service && service.TryGetValue("secrets", out var secrets))
                foreach (var secret in (List<object>)secrets)
                    if (secret is Dictionary<object, object> longSyntax)
                        Assert.False(longSyntax.Keys.Cast<string>().Intersect(["uid", "gid", "mode"]).Any(), $"{name}: uid, gid and mode are ignored for file secrets");
    }

    [Fact]
    public void RabbitMQ_keeps_its_node_name_and_so_its_queues_when_the_container_is_recreated()
    {
        var rabbitmq = (Dictionary<object, object>)Services("docker-compose.yml")["rabbitmq"];
        // the node is rabbit@<hostname> and its data folder is named after it: a new random hostname is a new, empty node
        Assert.True(rabbitmq.TryGetValue("hostname", out var hostname) && hostname is string h && Regex.IsMatch(h, "^[a-z][a-z0-9-]*$"), "rabbitmq has no fixed hostname");
    }

    [Fact]
    public void The_published_port_and_the_storage_provider_have_defaults_an_environment_variable_overrides()
    {
        var services = Services("docker-compose.yml");
        Assert.Equal(["${MARKET_PORT:-8080}:8080"], ((List<object>)((Dictionary<object, object>)services["gateway"])["ports"]).Cast<string>());
        var providers = Environment().Where(e => e.Key == "Storage__Provider").ToList();
        Assert.Equal(OurServices().Keys.Order(), providers.Select(p => p.Service).Distinct().Order());
        Assert.All(providers, p => Assert.Equal("${STORAGE_PROVIDER:-MongoDb}", p.Value));
    }

    [Fact]
    public void The_Dockerfiles_need_no_frontend_image_from_a_registry()
    {
        // "# syntax=docker/dockerfile:1" makes BuildKit pull docker/dockerfile before every build
        foreach (var dockerfile in Directory.EnumerateFiles(Repository.Root, "Dockerfile*", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            Assert.DoesNotMatch(new Regex(@"^\s*#\s*syntax\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase), File.ReadAllText(dockerfile));
    }

    [Fact]
    public void The_stores_require_passwords_from_the_environment_and_the_services_connect_with_them()
    {
        var services = Services("docker-compose.yml");
        var mongodb = Env(services, "mongodb");
        var rabbitmq = Env(services, "rabbitmq");
        // MongoDB starts with authentication only when the image creates a root user
        Assert.True(mongodb.TryGetValue("MONGO_INITDB_ROOT_USERNAME", out var root) && root.Length > 0, "MongoDB runs without authentication");
        Assert.Matches(@"^\$\{\w+:\?.+\}$", mongodb["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.NotEqual("guest", rabbitmq.GetValueOrDefault("RABBITMQ_DEFAULT_USER", "guest"));
        Assert.Matches(@"^\$\{\w+:\?.+\}$", rabbitmq.GetValueOrDefault("RABBITMQ_DEFAULT_PASS", ""));
        var rabbitPassword = Variable(rabbitmq["RABBITMQ_DEFAULT_PASS"]);

        // the user the services connect to MongoDB as is the one the init script creates, with the password it is given
        var init = MongoInitScript(services);
        foreach (var (service, key, value) in Environment().Where(e => OurServices().ContainsKey(e.Service)))
        {
            if (key == "Storage__MongoConnectionString")
            {
                var m = Regex.Match(value, @"^mongodb://(?<user>[^:@/]+):\$\{(?<password>\w+)(:\?[^}]*)?\}@mongodb:27017/\?authSource=admin$");
                Assert.True(m.Success, $"{service}: {value}");
                Assert.Contains($"user: \"{m.Groups["user"].Value}\"", init);
                Assert.Contains($"process.env.{m.Groups["password"].Value}", init);
                Assert.True(mongodb.ContainsKey(m.Groups["password"].Value), $"the init script is not given {m.Groups["password"].Value}");
            }
            if (key == "Messaging__RabbitMqUri")
            {
                var m = Regex.Match(value, @"^amqp://(?<user>[^:@/]+):\$\{(?<password>\w+)(:\?[^}]*)?\}@rabbitmq:5672/$");
                Assert.True(m.Success, $"{service}: {value}");
                Assert.Equal(rabbitmq["RABBITMQ_DEFAULT_USER"], m.Groups["user"].Value);
                Assert.Equal(rabbitPassword, m.Groups["password"].Value);
            }
        }
        Assert.NotEmpty(Repository.StoreKeys());
        Assert.All(Repository.StoreKeys(), store => Assert.Contains($"\"{store}\"", init));
        // no credentials written into the files
        foreach (var file in Files)
            Assert.DoesNotMatch(new Regex(@"://[^:/@\s]+:(?!\$\{)[^@\s]+@"), Repository.Read(file));
    }

    private static Dictionary<string, string> Env(Dictionary<object, object> services, string name) =>
        ((Dictionary<object, object>)((Dictionary<object, object>)services[name]).GetValueOrDefault("environment", new Dictionary<object, object>())!)
            .ToDictionary(kv => (string)kv.Key, kv => kv.Value?.ToString() ?? "");

    private static string Variable(string reference) => Regex.Match(reference, @"^\$\{(?<name>\w+)").Groups["name"].Value;

    /// <summary>The script MongoDB's image runs on an empty data volume (mounted into /docker-entrypoint-initdb.d).</summary>
    private static string MongoInitScript(Dictionary<object, object> services)
    {
        var volumes = ((List<object>)((Dictionary<object, object>)services["mongodb"])["volumes"]).Cast<string>();
        var script = volumes.Select(v => v.Split(':')).SingleOrDefault(v => v.Length >= 2 && v[1].StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        Assert.True(script is not null, "MongoDB gets no script that creates the services' user");
        return Repository.Read(script[0].TrimStart('.', '/'));
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
        Assert.True(Repository.IsRead("Messaging__QuorumQueues")); // MessagingOptions, bound through a variable
        Assert.False(Repository.IsRead("Messaging__QuorumQueue"));
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
                if (host == "localhost" && key == "Notifications__PublicBaseUrl")
                {
                    // the portal as a browser on this machine sees it: the gateway's default published port
                    Assert.Equal("8080", url.Groups["port"].Value);
                    Assert.Contains("\"${MARKET_PORT:-8080}:8080\"", Repository.Read("docker-compose.yml"));
                    continue;
                }
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
        Assert.Contains(":8080\"", compose); // the gateway, where users come in
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
