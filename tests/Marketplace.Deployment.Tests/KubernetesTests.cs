using System.Diagnostics;
using YamlDotNet.Serialization;

namespace Marketplace.Deployment.Tests;

/// <summary>Runs only where kubectl (with its built-in kustomize) is installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public static bool Installed { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(p => File.Exists(Path.Combine(p, "kubectl"))) == true;

    public KubectlFactAttribute()
    {
        if (!Installed) Skip = "kubectl is not installed.";
    }
}

/// <summary>Runs where kubectl is installed and ./test.sh installed the schema validator (npm ci in k8s-schema/).</summary>
public sealed class SchemaFactAttribute : TheoryAttribute
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "tests", "Marketplace.Deployment.Tests", "k8s-schema");

    public SchemaFactAttribute()
    {
        if (!KubectlFactAttribute.Installed) Skip = "kubectl is not installed.";
        else if (!Directory.Exists(Path.Combine(Folder, "node_modules", "kubernetes-models")))
            Skip = "The Kubernetes schemas are not installed: cd tests/Marketplace.Deployment.Tests/k8s-schema && npm ci (./test.sh does it).";
    }
}

public sealed class KubernetesTests
{
    public static TheoryData<string> Overlays() => ["k8s/base", "k8s/overlays/production"];

    internal static async Task<List<Dictionary<object, object>>> Render(string overlay) => Documents(await RenderText(overlay));

    /// <summary>The documents of a multi-document stream as <c>kubectl kustomize</c> prints it.</summary>
    internal static List<Dictionary<object, object>> Documents(string manifests)
    {
        var deserializer = new DeserializerBuilder().Build();
        return SplitDocuments(manifests).Select(d => deserializer.Deserialize<Dictionary<object, object>>(d)).ToList();
    }

    internal static IEnumerable<string> SplitDocuments(string manifests) => manifests.Split("\n---\n").Where(d => !string.IsNullOrWhiteSpace(d));

    /// <summary>An overlay rendered by <c>kubectl kustomize</c>, as text.</summary>
    internal static async Task<string> RenderText(string overlay)
    {
        using var process = Process.Start(new ProcessStartInfo("kubectl", $"kustomize {overlay}")
        {
            WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay}: {errors}");
        return output;
    }

    internal static T At<T>(object node, params string[] path)
    {
        foreach (var key in path) node = ((Dictionary<object, object>)node)[key];
        return (T)node;
    }

    internal static bool Has(object node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not Dictionary<object, object> map || !map.TryGetValue(key, out var next)) return false;
            node = next;
        }
        return true;
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_deployment_is_probed_limited_and_runs_as_non_root_with_a_read_only_root(string overlay)
    {
        var docs = await Render(overlay);
        var deployments = docs.Where(d => (string)d["kind"] == "Deployment").ToList();
        Assert.Equal(["broker", "gateway", "listing", "matching", "notifications", "registration"], deployments.Select(d => At<string>(d, "metadata", "name")).Order());
        var healthCode = Repository.Read("services/BuildingBlocks/Marketplace.ServiceDefaults/HostingExtensions.cs");
        foreach (var deployment in deployments)
        {
            var name = At<string>(deployment, "metadata", "name");
            Assert.Equal("true", At<string>(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
            var container = (Dictionary<object, object>)At<List<object>>(deployment, "spec", "template", "spec", "containers")[0];
            Assert.Equal("true", At<string>(container, "securityContext", "readOnlyRootFilesystem"));
            Assert.Equal("false", At<string>(container, "securityContext", "allowPrivilegeEscalation"));
            Assert.True(Has(container, "resources", "requests", "cpu") && Has(container, "resources", "limits", "memory"), name);
            Assert.Equal("/health/ready", At<string>(container, "readinessProbe", "httpGet", "path"));
            Assert.Equal("/health/live", At<string>(container, "livenessProbe", "httpGet", "path"));
            Assert.Contains("\"/health/ready\"", healthCode);
            Assert.Contains("\"/health/live\"", healthCode);
            var port = At<List<object>>(container, "ports").Cast<Dictionary<object, object>>().Single();
            var dockerfile = name == "gateway" ? "gateway/Marketplace.Gateway/Dockerfile" : "services/Dockerfile";
            Assert.Equal(Repository.ImagePort(dockerfile).ToString(System.Globalization.CultureInfo.InvariantCulture), (string)port["containerPort"]);
        }
        foreach (var kind in new[] { "Service", "PodDisruptionBudget" })
            Assert.Equal(deployments.Select(d => At<string>(d, "metadata", "name")).Order(), docs.Where(d => (string)d["kind"] == kind).Select(d => At<string>(d, "metadata", "name")).Order());
        Assert.Equal(["gateway", "listing", "matching"], docs.Where(d => (string)d["kind"] == "HorizontalPodAutoscaler").Select(d => At<string>(d, "metadata", "name")).Order());
        Assert.Single(docs, d => (string)d["kind"] == "Ingress");
        Assert.Contains(docs, d => (string)d["kind"] == "NetworkPolicy" && At<string>(d, "metadata", "name") == "default-deny");
        Assert.All(docs.Where(d => (string)d["kind"] != "Namespace"), d => Assert.Equal("xiaoxiang-market", At<string>(d, "metadata", "namespace")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_Ingress_serves_its_host_over_TLS_and_the_gateway_trusts_only_the_cluster_as_its_proxy(string overlay)
    {
        var docs = await Render(overlay);
        var ingress = docs.Single(d => (string)d["kind"] == "Ingress");
        var host = At<string>(At<List<object>>(ingress, "spec", "rules")[0], "host");
        var tls = At<List<object>>(ingress, "spec", "tls").Cast<Dictionary<object, object>>().Single();
        Assert.Contains(host, At<List<object>>(tls, "hosts").Cast<string>());
        Assert.Equal("market-tls", (string)tls["secretName"]);

        var gateway = docs.Single(d => (string)d["kind"] == "Deployment" && At<string>(d, "metadata", "name") == "gateway");
        var env = At<List<object>>((Dictionary<object, object>)At<List<object>>(gateway, "spec", "template", "spec", "containers")[0], "env")
            .Cast<Dictionary<object, object>>().ToDictionary(e => (string)e["name"], e => e.TryGetValue("value", out var v) ? v as string : null);
        Assert.True(System.Net.IPNetwork.TryParse(env["Gateway__ForwardedHeaders__KnownNetworks__0"], out _));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_image_is_the_one_of_its_Deployment_and_production_pins_them_in_its_registry(string overlay)
    {
        var docs = await Render(overlay);
        foreach (var deployment in docs.Where(d => (string)d["kind"] == "Deployment"))
        {
            var name = At<string>(deployment, "metadata", "name");
            var image = At<string>((Dictionary<object, object>)At<List<object>>(deployment, "spec", "template", "spec", "containers")[0], "image");
            Assert.Equal(overlay == "k8s/base" ? $"xiaoxiang-market/{name}:latest" : $"registry.example.cn/xiaoxiang-market/{name}:1.0.0", image);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_proxies_every_service_and_publishes_over_RabbitMQ(string overlay)
    {
        var docs = await Render(overlay);
        var config = docs.Single(d => (string)d["kind"] == "ConfigMap" && At<string>(d, "metadata", "name") == "market-config");
        var data = At<Dictionary<object, object>>(config, "data").ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value);
        var services = docs.Where(d => (string)d["kind"] == "Service").Select(d => At<string>(d, "metadata", "name")).Where(n => n != "gateway").Order().ToList();
        var clusters = data.Where(kv => kv.Key.StartsWith("ReverseProxy__Clusters__", StringComparison.Ordinal)).ToDictionary(kv => kv.Key.Split("__")[2], kv => kv.Value);
        Assert.Equal(services, clusters.Keys.Order());
        Assert.All(clusters, c => Assert.Equal($"http://{c.Key}:8080", c.Value));
        var gatewayClusters = System.Text.Json.Nodes.JsonNode.Parse(Repository.Read("gateway/Marketplace.Gateway/appsettings.json"))!["ReverseProxy"]!["Clusters"]!.AsObject();
        Assert.All(gatewayClusters.Select(c => c.Key), c => Assert.Contains(c, clusters.Keys));

        // the gateway announces account changes over the bus: the shared settings say RabbitMQ, and it reads them
        Assert.Equal("RabbitMq", data["Messaging__Transport"]);
        var gateway = docs.Single(d => (string)d["kind"] == "Deployment" && At<string>(d, "metadata", "name") == "gateway");
        var container = (Dictionary<object, object>)At<List<object>>(gateway, "spec", "template", "spec", "containers")[0];
        Assert.Contains("market-config", At<List<object>>(container, "envFrom").Cast<Dictionary<object, object>>().Select(e => At<string>(e, "configMapRef", "name")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Mail_links_lead_to_the_Ingress_host_and_the_SMTP_password_is_an_optional_Secret(string overlay)
    {
        var docs = await Render(overlay);
        var host = At<string>(At<List<object>>(docs.Single(d => (string)d["kind"] == "Ingress"), "spec", "rules")[0], "host");
        var config = docs.Single(d => (string)d["kind"] == "ConfigMap" && At<string>(d, "metadata", "name") == "notifications-config");
        var data = At<Dictionary<object, object>>(config, "data").ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value);
        Assert.Equal($"https://{host}", data["Notifications__PublicBaseUrl"]);
        Assert.True(int.TryParse(data["Notifications__Smtp__Port"], out _), data["Notifications__Smtp__Port"]);

        // only the notifications Deployment reads its settings
        foreach (var deployment in docs.Where(d => (string)d["kind"] == "Deployment"))
        {
            var container = (Dictionary<object, object>)At<List<object>>(deployment, "spec", "template", "spec", "containers")[0];
            var maps = At<List<object>>(container, "envFrom").Cast<Dictionary<object, object>>().Select(e => At<string>(e, "configMapRef", "name")).ToList();
            Assert.Equal(At<string>(deployment, "metadata", "name") == "notifications", maps.Contains("notifications-config"));
        }
        var notifications = docs.Single(d => (string)d["kind"] == "Deployment" && At<string>(d, "metadata", "name") == "notifications");
        var password = At<List<object>>((Dictionary<object, object>)At<List<object>>(notifications, "spec", "template", "spec", "containers")[0], "env")
            .Cast<Dictionary<object, object>>().Single(e => (string)e["name"] == "Notifications__Smtp__Password");
        var secret = At<Dictionary<object, object>>(password, "valueFrom", "secretKeyRef");
        // the pod starts without it: a server that needs no password, or none yet
        Assert.Equal("true", (string)secret["optional"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_password_is_set_in_plain_configuration(string overlay)
    {
        var docs = await Render(overlay);
        static bool IsPassword(string key) => key.Split("__")[^1].Contains("PASSWORD", StringComparison.OrdinalIgnoreCase);
        foreach (var map in docs.Where(d => (string)d["kind"] == "ConfigMap"))
            Assert.DoesNotContain(At<Dictionary<object, object>>(map, "data").Keys.Cast<string>(), IsPassword);
        var passwords = 0;
        foreach (var deployment in docs.Where(d => (string)d["kind"] == "Deployment"))
        {
            var container = (Dictionary<object, object>)At<List<object>>(deployment, "spec", "template", "spec", "containers")[0];
            foreach (var env in At<List<object>>(container, "env").Cast<Dictionary<object, object>>().Where(e => IsPassword((string)e["name"])))
            {
                passwords++;
                Assert.True(Has(env, "valueFrom", "secretKeyRef", "name") && !env.ContainsKey("value"), $"{At<string>(deployment, "metadata", "name")}: {env["name"]} is not read from a Secret");
            }
        }
        Assert.True(passwords > 0);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_configuration_key_set_in_the_manifests_is_one_the_services_read(string overlay)
    {
        var docs = await Render(overlay);
        var keys = new List<string>();
        foreach (var doc in docs)
        {
            switch ((string)doc["kind"])
            {
                case "ConfigMap":
                    keys.AddRange(At<Dictionary<object, object>>(doc, "data").Keys.Cast<string>());
                    break;
                case "Deployment":
                    var container = (Dictionary<object, object>)At<List<object>>(doc, "spec", "template", "spec", "containers")[0];
                    if (container.TryGetValue("env", out var env))
                    {
                        var vars = ((List<object>)env).Cast<Dictionary<object, object>>().ToList();
                        // a variable another one refers to as $(NAME) is read by Kubernetes, not by the services
                        var referenced = vars.Where(e => e.TryGetValue("value", out var v) && v is string)
                            .SelectMany(e => System.Text.RegularExpressions.Regex.Matches((string)e["value"], @"\$\((\w+)\)").Select(m => m.Groups[1].Value)).ToHashSet();
                        keys.AddRange(vars.Select(e => (string)e["name"]).Where(n => !referenced.Contains(n)));
                    }
                    break;
            }
        }
        Assert.NotEmpty(keys);
        var unknown = keys.Where(k => !Repository.IsRead(k)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "not read by any service: " + string.Join(", ", unknown));
    }

    [SchemaFact]
    [MemberData(nameof(Overlays))]
    public async Task Every_rendered_manifest_validates_against_the_Kubernetes_schemas(string overlay)
    {
        using var render = Process.Start(new ProcessStartInfo("kubectl", $"kustomize {overlay}")
        {
            WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var manifests = await render.StandardOutput.ReadToEndAsync();
        await render.StandardError.ReadToEndAsync();
        await render.WaitForExitAsync();
        Assert.Equal(0, render.ExitCode);

        var (exit, report) = await Validate(manifests);
        Assert.True(exit == 0, report);
        Assert.Contains(" 0 failures", report);
        Assert.Contains("OK Deployment/gateway", report);
    }

    [SchemaFact]
    [InlineData("replicas: two", "containerPort: 8080")]
    [InlineData("replicas: 2", "containerPort: http")]
    public async Task The_schema_check_rejects_a_manifest_with_a_wrong_type(string replicas, string port)
    {
        var (exit, report) = await Validate($"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              {replicas}
              selector:
                matchLabels:
                  app: broken
              template:
                metadata:
                  labels:
                    app: broken
                spec:
                  containers:
                    - name: broken
                      image: broken
                      ports:
                        - {port}
            """);
        Assert.Equal(1, exit);
        Assert.Contains("INVALID Deployment/broken", report);
    }

    private static async Task<(int Exit, string Report)> Validate(string manifests)
    {
        using var node = Process.Start(new ProcessStartInfo("node", "validate.js")
        {
            WorkingDirectory = SchemaFactAttribute.Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await node.StandardInput.WriteAsync(manifests);
        node.StandardInput.Close();
        var report = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return (node.ExitCode, report);
    }
}
