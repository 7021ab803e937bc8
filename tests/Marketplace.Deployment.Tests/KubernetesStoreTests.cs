using System.Text.RegularExpressions;
using static Marketplace.Deployment.Tests.KubernetesTests;

namespace Marketplace.Deployment.Tests;

/// <summary>MongoDB and RabbitMQ as their operators run them, and what the manifests must give them.</summary>
public sealed class KubernetesStoreTests
{
    private const string Namespace = "xiaoxiang-market";

    private static string Kind(Dictionary<object, object> doc) => (string)doc["kind"];

    private static string Name(Dictionary<object, object> doc) => At<string>(doc, "metadata", "name");

    private static Dictionary<object, object> Single(List<Dictionary<object, object>> docs, string kind)
    {
        var found = docs.Where(d => Kind(d) == kind).ToList();
        Assert.True(found.Count == 1, $"expected one {kind}, found {found.Count}");
        return found[0];
    }

    private static List<Dictionary<object, object>> Deployments(List<Dictionary<object, object>> docs) => docs.Where(d => Kind(d) == "Deployment").ToList();

    private static Dictionary<object, object> Container(Dictionary<object, object> deployment) =>
        (Dictionary<object, object>)At<List<object>>(deployment, "spec", "template", "spec", "containers")[0];

    private static List<Dictionary<object, object>> Env(Dictionary<object, object> deployment) =>
        Container(deployment).TryGetValue("env", out var env) ? ((List<object>)env).Cast<Dictionary<object, object>>().ToList() : [];

    // which flows the NetworkPolicies allow: NetworkFlowTests

    [Fact]
    public void The_policy_model_follows_Kubernetes_selectors()
    {
        var policies = new NetworkPolicies(Namespace, [Repository.Yaml("""
            kind: NetworkPolicy
            metadata: { name: db }
            spec:
              podSelector: { matchLabels: { app: db } }
              policyTypes: [Ingress]
              ingress:
                - from: [ { podSelector: { matchExpressions: [ { key: tier, operator: In, values: [web] } ] } } ]
                  ports: [ { port: 5432 } ]
            """)]);
        var db = Pod.In(Namespace, "db", ("app", "db"));
        Assert.True(policies.Allows(Pod.In(Namespace, "web", ("tier", "web")), db, 5432));
        Assert.False(policies.Allows(Pod.In(Namespace, "web", ("tier", "web")), db, 5433));
        Assert.False(policies.Allows(Pod.In(Namespace, "batch", ("tier", "batch")), db, 5432));
        Assert.False(policies.Allows(Pod.In("other", "web", ("tier", "web")), db, 5432)); // a bare podSelector means this namespace
        Assert.True(policies.Allows(db, Pod.In(Namespace, "web", ("tier", "web")), 80)); // nothing selects web
    }

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task Applying_the_manifests_leaves_the_real_secrets_alone(string overlay)
    {
        var docs = await Render(overlay);
        Assert.DoesNotContain(docs, d => Kind(d) == "Secret");
        // every Secret the manifests refer to is made by the README's commands or by an operator
        var readme = Repository.Read("README.md");
        var created = Regex.Matches(readme, @"kubectl -n xiaoxiang-market create secret generic (?<name>[a-z0-9-]+)").Select(m => m.Groups["name"].Value).ToHashSet();
        var byOperator = docs.Where(d => Kind(d) == "MongoDBCommunity")
            .SelectMany(d => At<List<object>>(d, "spec", "users").Cast<Dictionary<object, object>>().Select(u => (string)u["connectionStringSecretName"])).ToHashSet();
        // an optional one (the SMTP password: mail may go to a server that wants none) may instead be
        // made by a command in docs/deploy.md, next to the settings it goes with
        var documented = Regex.Matches(Repository.Read("docs/deploy.md"), @"kubectl -n xiaoxiang-market create secret generic (?<name>[a-z0-9-]+)").Select(m => m.Groups["name"].Value).ToHashSet();
        var references = SecretReferences(docs).ToList();
        foreach (var (name, optional) in references)
            Assert.True(created.Contains(name) || byOperator.Contains(name) || (optional && documented.Contains(name)),
                $"secret {name} is neither created by the README's commands nor by an operator{(optional ? " nor by docs/deploy.md" : "")}");
        Assert.NotEmpty(created);
        // the walk finds the references: the connection strings' and the SMTP password's
        Assert.Contains(references, r => r.Name == "mongodb-market-connection" && !r.Optional);
        Assert.Contains(references, r => r.Name == "notifications-smtp" && r.Optional);
    }

    /// <summary>Secrets referred to anywhere in the rendered documents, and whether a pod starts without them.</summary>
    private static IEnumerable<(string Name, bool Optional)> SecretReferences(object node)
    {
        switch (node)
        {
            case Dictionary<object, object> map:
                foreach (var (key, value) in map)
                {
                    if (key is "secretKeyRef" or "secretRef" or "passwordSecretRef" or "importCredentialsSecret" && value is Dictionary<object, object> r) yield return ((string)r["name"], IsOptional(r));
                    if (key is "secret" && value is Dictionary<object, object> volume) yield return ((string)volume["secretName"], IsOptional(volume));
                    foreach (var inner in SecretReferences(value)) yield return inner;
                }
                break;
            // the rendered documents themselves too (a list of dictionaries is no List<object>)
            case IEnumerable<object> list:
                foreach (var item in list)
                    foreach (var inner in SecretReferences(item)) yield return inner;
                break;
        }
    }

    private static bool IsOptional(Dictionary<object, object> reference) => reference.TryGetValue("optional", out var o) && o is "true";

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task A_Deployment_an_autoscaler_scales_does_not_set_its_replicas(string overlay)
    {
        // kubectl apply would reset the count the autoscaler chose at every rollout
        var docs = await Render(overlay);
        var scaled = docs.Where(d => Kind(d) == "HorizontalPodAutoscaler").Select(h => At<string>(h, "spec", "scaleTargetRef", "name")).ToList();
        Assert.NotEmpty(scaled);
        foreach (var deployment in Deployments(docs).Where(d => scaled.Contains(Name(d))))
            Assert.False(Has(deployment, "spec", "replicas"), $"{Name(deployment)} sets replicas under an autoscaler");
    }

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task MongoDB_declares_the_user_the_services_connect_as_with_their_databases_only(string overlay)
    {
        var docs = await Render(overlay);
        var mongo = Single(docs, "MongoDBCommunity");
        Assert.Equal("ReplicaSet", At<string>(mongo, "spec", "type"));
        Assert.True(int.Parse(At<string>(mongo, "spec", "members"), System.Globalization.CultureInfo.InvariantCulture) >= 3, "fewer than three members");
        Assert.Contains("SCRAM", At<List<object>>(mongo, "spec", "security", "authentication", "modes").Cast<string>());
        var user = At<List<object>>(mongo, "spec", "users").Cast<Dictionary<object, object>>().Single();
        Assert.True(Has(user, "passwordSecretRef", "name"), "the user has no password secret");
        var roles = At<List<object>>(user, "roles").Cast<Dictionary<object, object>>().Select(r => ((string)r["name"], (string)r["db"])).ToList();
        Assert.Equal(Repository.StoreKeys().Select(k => ("readWrite", $"marketplace-{k}")).Order(), roles.Order());
        // the operator writes the connection string (password URL-encoded) into the secret named here
        var connection = (string)user["connectionStringSecretName"];
        foreach (var deployment in Deployments(docs))
        {
            var env = Env(deployment).SingleOrDefault(e => (string)e["name"] == "Storage__MongoConnectionString");
            Assert.True(env is not null, $"{Name(deployment)} gets no MongoDB connection string");
            Assert.Equal(connection, At<string>(env, "valueFrom", "secretKeyRef", "name"));
            Assert.Equal("connectionString.standard", At<string>(env, "valueFrom", "secretKeyRef", "key"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task RabbitMQ_declares_the_user_the_services_connect_as_and_its_queues_are_quorum_queues(string overlay)
    {
        var docs = await Render(overlay);
        var cluster = Single(docs, "RabbitmqCluster");
        Assert.True(int.Parse(At<string>(cluster, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 3, "fewer than three nodes");
        var user = Single(docs, "User");
        Assert.Equal("rabbitmq.com/v1beta1", (string)user["apiVersion"]);
        Assert.Equal(Name(cluster), At<string>(user, "spec", "rabbitmqClusterReference", "name"));
        var credentials = At<string>(user, "spec", "importCredentialsSecret", "name");
        var permission = Single(docs, "Permission");
        Assert.Equal(Name(cluster), At<string>(permission, "spec", "rabbitmqClusterReference", "name"));
        Assert.Equal(Name(user), At<string>(permission, "spec", "userReference", "name"));
        Assert.Equal("/", At<string>(permission, "spec", "vhost"));
        foreach (var right in new[] { "configure", "write", "read" })
            Assert.False(string.IsNullOrEmpty(At<string>(permission, "spec", "permissions", right)), right);

        foreach (var deployment in Deployments(docs))
        {
            var env = Env(deployment);
            var uri = env.FindIndex(e => (string)e["name"] == "Messaging__RabbitMqUri");
            Assert.True(uri >= 0, $"{Name(deployment)} gets no RabbitMQ address");
            var m = Regex.Match((string)env[uri]["value"], $@"^amqp://\$\((?<user>\w+)\):\$\((?<password>\w+)\)@{Name(cluster)}:5672/$");
            Assert.True(m.Success, (string)env[uri]["value"]);
            // $(NAME) is expanded only from variables defined before it
            foreach (var (variable, key) in new[] { (m.Groups["user"].Value, "username"), (m.Groups["password"].Value, "password") })
            {
                var at = env.FindIndex(e => (string)e["name"] == variable);
                Assert.True(at >= 0 && at < uri, $"{Name(deployment)}: {variable} is not defined before Messaging__RabbitMqUri");
                Assert.Equal(credentials, At<string>(env[at], "valueFrom", "secretKeyRef", "name"));
                Assert.Equal(key, At<string>(env[at], "valueFrom", "secretKeyRef", "key"));
            }
        }
        var config = docs.Single(d => Kind(d) == "ConfigMap" && Name(d) == "market-config");
        Assert.Equal("true", At<string>(config, "data", "Messaging__QuorumQueues"));
    }
}
