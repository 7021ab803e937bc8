using System.Text.RegularExpressions;
using static Marketplace.Deployment.Tests.KubernetesTests;

namespace Marketplace.Deployment.Tests;

/// <summary>
/// The rendered objects agree with each other: every selector selects the pods it is for, every
/// autoscaler and budget has a target it can act on, every port, ConfigMap, Secret and Secret key a
/// pod refers to exists. Each check is also shown to fail on a manifest broken on purpose.
/// </summary>
public sealed partial class KubernetesConsistencyTests
{
    private static string Kind(Dictionary<object, object> d) => (string)d["kind"];

    private static string Name(Dictionary<object, object> d) => At<string>(d, "metadata", "name");

    private static IReadOnlyDictionary<string, string> Labels(object? map) =>
        map is Dictionary<object, object> m ? m.ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value) : new Dictionary<string, string>();

    private static List<Dictionary<object, object>> List(object node, params string[] path) =>
        Has(node, path) && At<object>(node, path) is List<object> list ? list.Cast<Dictionary<object, object>>().ToList() : [];

    /// <summary>The pods the operators run for the custom resources, with the labels they give them.</summary>
    private static IEnumerable<(string Name, IReadOnlyDictionary<string, string> Labels)> OperatorPods(List<Dictionary<object, object>> docs)
    {
        foreach (var mongo in docs.Where(d => Kind(d) == "MongoDBCommunity"))
            yield return ($"MongoDBCommunity/{Name(mongo)}", new Dictionary<string, string> { ["app"] = $"{Name(mongo)}-svc" });
        foreach (var rabbit in docs.Where(d => Kind(d) == "RabbitmqCluster"))
            yield return ($"RabbitmqCluster/{Name(rabbit)}", new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = Name(rabbit), ["app.kubernetes.io/component"] = "rabbitmq", ["app.kubernetes.io/part-of"] = "rabbitmq",
            });
    }

    /// <summary>
    /// The keys each Secret has: those the README's <c>kubectl create secret generic NAME --from-file=KEY=…
    /// --from-literal=KEY=…</c> give it, the optional one docs/deploy.md makes, and those the MongoDB
    /// operator writes into a user's connection-string Secret.
    /// </summary>
    internal static Dictionary<string, HashSet<string>> SecretKeys(List<Dictionary<object, object>> docs)
    {
        var keys = new Dictionary<string, HashSet<string>>();
        foreach (var doc in new[] { "README.md", "docs/deploy.md" })
            foreach (Match m in CreateSecret().Matches(Repository.Read(doc)))
            {
                var set = keys.TryGetValue(m.Groups["name"].Value, out var s) ? s : keys[m.Groups["name"].Value] = [];
                foreach (Match key in SecretKey().Matches(m.Groups["args"].Value)) set.Add(key.Groups["key"].Value);
            }
        foreach (var mongo in docs.Where(d => Kind(d) == "MongoDBCommunity"))
            foreach (var user in List(mongo, "spec", "users"))
                keys[(string)user["connectionStringSecretName"]] = ["connectionString.standard", "connectionString.standardSrv", "username", "password"];
        return keys;
    }

    [GeneratedRegex(@"kubectl -n xiaoxiang-market create secret generic (?<name>[a-z0-9-]+)(?<args>[^\n]*)")]
    private static partial Regex CreateSecret();

    [GeneratedRegex(@"--from-(?:file|literal)=(?<key>[A-Za-z0-9._-]+)=")]
    private static partial Regex SecretKey();

    internal static List<string> Problems(List<Dictionary<object, object>> docs)
    {
        var problems = new List<string>();
        var secretKeys = SecretKeys(docs);
        var deployments = docs.Where(d => Kind(d) == "Deployment").ToList();
        var pods = deployments.Select(d => (Name: $"Deployment/{Name(d)}", Labels: Labels(At<object>(d, "spec", "template", "metadata", "labels"))))
            .Concat(OperatorPods(docs)).ToList();
        IEnumerable<string> Selected(object? selector) => pods.Where(p => NetworkPolicies.Matches(selector, p.Labels)).Select(p => p.Name);
        Dictionary<object, object> PodSpec(Dictionary<object, object> d) => At<Dictionary<object, object>>(d, "spec", "template", "spec");
        var autoscaled = docs.Where(d => Kind(d) == "HorizontalPodAutoscaler").ToDictionary(h => At<string>(h, "spec", "scaleTargetRef", "name"));

        foreach (var deployment in deployments)
        {
            var name = Name(deployment);
            if (!NetworkPolicies.Matches(At<object>(deployment, "spec", "selector"), Labels(At<object>(deployment, "spec", "template", "metadata", "labels"))))
                problems.Add($"Deployment/{name}: its selector does not select its own pods");
            var others = deployments.Where(o => o != deployment && NetworkPolicies.Matches(At<object>(deployment, "spec", "selector"), Labels(At<object>(o, "spec", "template", "metadata", "labels")))).ToList();
            if (others.Count > 0) problems.Add($"Deployment/{name}: its selector also selects the pods of {string.Join(", ", others.Select(Name))}");
            var spec = PodSpec(deployment);
            var volumes = List(spec, "volumes").ToDictionary(v => (string)v["name"]);
            foreach (var container in List(spec, "containers"))
            {
                foreach (var mount in List(container, "volumeMounts"))
                    if (!volumes.ContainsKey((string)mount["name"])) problems.Add($"Deployment/{name}: mounts the volume {mount["name"]}, which the pod does not have");
                foreach (var from in List(container, "envFrom"))
                    if (Has(from, "configMapRef", "name") && !docs.Any(d => Kind(d) == "ConfigMap" && Name(d) == At<string>(from, "configMapRef", "name")))
                        problems.Add($"Deployment/{name}: reads the ConfigMap {At<string>(from, "configMapRef", "name")}, which does not exist");
                // a file a setting names under a mounted Secret is one of that Secret's keys
                foreach (var env in List(container, "env").Where(e => e.TryGetValue("value", out var v) && v is string))
                    foreach (var mount in List(container, "volumeMounts"))
                    {
                        var path = (string)mount["mountPath"] + "/";
                        var value = (string)env["value"];
                        if (!value.StartsWith(path, StringComparison.Ordinal) || !volumes.TryGetValue((string)mount["name"], out var volume) || !Has(volume, "secret", "secretName")) continue;
                        var secret = At<string>(volume, "secret", "secretName");
                        if (!secretKeys.TryGetValue(secret, out var keys) || !keys.Contains(value[path.Length..]))
                            problems.Add($"Deployment/{name}: {env["name"]} names {value}, but the Secret {secret} has no key {value[path.Length..]}");
                    }
            }
            var replicas = autoscaled.TryGetValue(name, out var hpa) ? int.Parse(At<string>(hpa, "spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture)
                : Has(deployment, "spec", "replicas") ? int.Parse(At<string>(deployment, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) : 1;
            foreach (var pdb in docs.Where(d => Kind(d) == "PodDisruptionBudget" && Selected(At<object>(d, "spec", "selector")).Contains($"Deployment/{name}")))
                if (Has(pdb, "spec", "minAvailable") && int.TryParse(At<string>(pdb, "spec", "minAvailable"), out var min) && min >= replicas)
                    problems.Add($"PodDisruptionBudget/{Name(pdb)}: minAvailable {min} of {replicas} replicas lets no pod be evicted (a node drain never ends)");
        }

        foreach (var service in docs.Where(d => Kind(d) == "Service"))
        {
            var selected = Selected(new Dictionary<object, object> { ["matchLabels"] = At<object>(service, "spec", "selector") }).ToList();
            if (selected.Count == 0) { problems.Add($"Service/{Name(service)}: its selector matches no pod"); continue; }
            foreach (var port in List(service, "spec", "ports").Where(p => p.TryGetValue("targetPort", out var t) && !int.TryParse((string)t, out _)))
                foreach (var deployment in deployments.Where(d => selected.Contains($"Deployment/{Name(d)}")))
                    if (!List(PodSpec(deployment), "containers").SelectMany(c => List(c, "ports")).Any(p => p.GetValueOrDefault("name") as string == (string)port["targetPort"]))
                        problems.Add($"Service/{Name(service)}: targetPort {port["targetPort"]} is no port of Deployment/{Name(deployment)}");
        }
        foreach (var pdb in docs.Where(d => Kind(d) == "PodDisruptionBudget"))
            if (!Selected(At<object>(pdb, "spec", "selector")).Any()) problems.Add($"PodDisruptionBudget/{Name(pdb)}: its selector matches no pod");
        foreach (var policy in docs.Where(d => Kind(d) == "NetworkPolicy"))
            if (!Selected(At<object>(policy, "spec", "podSelector")).Any()) problems.Add($"NetworkPolicy/{Name(policy)}: its podSelector matches no pod");
        foreach (var (name, hpa) in autoscaled)
        {
            var target = At<Dictionary<object, object>>(hpa, "spec", "scaleTargetRef");
            var deployment = deployments.SingleOrDefault(d => Name(d) == name);
            if ((string)target["kind"] != "Deployment" || (string)target["apiVersion"] != "apps/v1" || deployment is null)
            {
                problems.Add($"HorizontalPodAutoscaler/{Name(hpa)}: its target {target["apiVersion"]} {target["kind"]}/{name} does not exist");
                continue;
            }
            if (int.Parse(At<string>(hpa, "spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture) > int.Parse(At<string>(hpa, "spec", "maxReplicas"), System.Globalization.CultureInfo.InvariantCulture))
                problems.Add($"HorizontalPodAutoscaler/{Name(hpa)}: minReplicas is above maxReplicas");
            // a CPU utilisation target is a share of the containers' CPU requests
            if (List(hpa, "spec", "metrics").Any(m => Has(m, "resource", "name") && At<string>(m, "resource", "name") == "cpu")
                && List(PodSpec(deployment), "containers").Any(c => !Has(c, "resources", "requests", "cpu")))
                problems.Add($"HorizontalPodAutoscaler/{Name(hpa)}: scales on CPU, but Deployment/{name} requests none");
        }
        foreach (var deployment in deployments)
        {
            foreach (var container in List(PodSpec(deployment), "containers"))
                foreach (var env in List(container, "env").Where(e => Has(e, "valueFrom", "secretKeyRef")))
                {
                    var reference = At<Dictionary<object, object>>(env, "valueFrom", "secretKeyRef");
                    var (secret, key) = ((string)reference["name"], (string)reference["key"]);
                    if (!secretKeys.TryGetValue(secret, out var keys)) problems.Add($"Deployment/{Name(deployment)}: {env["name"]} reads the Secret {secret}, which nothing creates");
                    else if (!keys.Contains(key)) problems.Add($"Deployment/{Name(deployment)}: {env["name"]} reads the key {key} of the Secret {secret}, which has only {string.Join(", ", keys.Order())}");
                }
            foreach (var volume in List(PodSpec(deployment), "volumes").Where(v => Has(v, "secret", "secretName")))
                if (!secretKeys.ContainsKey(At<string>(volume, "secret", "secretName")))
                    problems.Add($"Deployment/{Name(deployment)}: mounts the Secret {At<string>(volume, "secret", "secretName")}, which nothing creates");
        }
        foreach (var ingress in docs.Where(d => Kind(d) == "Ingress"))
            foreach (var path in List(ingress, "spec", "rules").SelectMany(r => List(r, "http", "paths")))
            {
                var backend = At<Dictionary<object, object>>(path, "backend", "service");
                var service = docs.SingleOrDefault(d => Kind(d) == "Service" && Name(d) == (string)backend["name"]);
                if (service is null || !List(service, "spec", "ports").Any(p => p.GetValueOrDefault("name") as string == At<string>(backend, "port", "name")))
                    problems.Add($"Ingress/{Name(ingress)}: its backend {backend["name"]}:{At<string>(backend, "port", "name")} is no Service port");
            }
        return problems;
    }

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task Selectors_targets_ports_and_secret_keys_agree(string overlay)
    {
        var docs = await Render(overlay);
        var problems = Problems(docs);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // the secrets' keys were read off the README's commands, not assumed
        var keys = SecretKeys(docs);
        Assert.Equal(["password", "username"], keys["rabbitmq-market-credentials"].Order());
        Assert.Equal(["jwt-signing.pem"], keys["jwt-signing-key"]);
    }

    public static TheoryData<string, string, string, string, string> Breakages() => new()
    {
        // a Service whose selector has a typo selects nothing: the gateway would have no endpoints
        { "Service", "listing", "spec/selector/app.kubernetes.io~1name", "listng", "Service/listing: its selector matches no pod" },
        { "PodDisruptionBudget", "broker", "spec/selector/matchLabels/app.kubernetes.io~1name", "brokers", "PodDisruptionBudget/broker: its selector matches no pod" },
        { "PodDisruptionBudget", "broker", "spec/minAvailable", "3", "PodDisruptionBudget/broker: minAvailable 3 of 3 replicas lets no pod be evicted (a node drain never ends)" },
        { "NetworkPolicy", "mongodb", "spec/podSelector/matchLabels/app", "mongodb", "NetworkPolicy/mongodb: its podSelector matches no pod" },
        { "HorizontalPodAutoscaler", "matching", "spec/scaleTargetRef/name", "matcher", "HorizontalPodAutoscaler/matching: its target apps/v1 Deployment/matcher does not exist" },
        { "Service", "gateway", "spec/ports/0/targetPort", "web", "Service/gateway: targetPort web is no port of Deployment/gateway" },
        { "Deployment", "registration", "spec/template/spec/containers/0/env/0/value", "/run/secrets/registration/registration.pem",
            "Deployment/registration: Registration__SigningKeyFile names /run/secrets/registration/registration.pem, but the Secret registration-signing-key has no key registration.pem" },
        { "Deployment", "broker", "spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef/key", "user",
            "Deployment/broker: RABBITMQ_USERNAME reads the key user of the Secret rabbitmq-market-credentials, which has only password, username" },
        { "Deployment", "gateway", "spec/template/metadata/labels/app.kubernetes.io~1name", "gw", "Deployment/gateway: its selector does not select its own pods" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_broken_reference_is_caught(string kind, string name, string pointer, string value, string expected)
    {
        var docs = await Render("k8s/overlays/production");
        var doc = docs.Single(d => Kind(d) == kind && Name(d) == name);
        object node = doc;
        var keys = pointer.Split('/').Select(k => k.Replace("~1", "/", StringComparison.Ordinal)).ToArray();
        foreach (var key in keys[..^1])
            node = node is List<object> list ? list[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : ((Dictionary<object, object>)node)[key];
        var map = (Dictionary<object, object>)node;
        Assert.True(map.ContainsKey(keys[^1]), $"{pointer} is not in {kind}/{name}");
        map[keys[^1]] = value;
        Assert.Contains(expected, Problems(docs));
    }
}
