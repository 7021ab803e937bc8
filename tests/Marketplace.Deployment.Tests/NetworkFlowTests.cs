using static Marketplace.Deployment.Tests.KubernetesTests;

namespace Marketplace.Deployment.Tests;

/// <summary>
/// Which connections the NetworkPolicies allow, computed over the pods a cluster really runs: the
/// market's Deployments with their template labels, and MongoDB's, RabbitMQ's, the ingress
/// controller's, the DNS server's and the topology operator's pods with the labels their operators and
/// default installs give them. Every flow the market needs must be allowed, and every other one below denied.
/// </summary>
public sealed class NetworkFlowTests
{
    private const string Namespace = "xiaoxiang-market";

    /// <summary>The pods of one rendering, by role.</summary>
    internal sealed record Cluster(List<Pod> Market, Pod Mongo, Pod Rabbit)
    {
        public Pod Gateway => Market.Single(p => p.Name == "gateway");
        public IEnumerable<Pod> Backends => Market.Where(p => p.Name != "gateway");

        // the MongoDB Community Operator labels a MongoDBCommunity's StatefulSet pods `app: <name>-svc`
        public static Cluster Of(List<Dictionary<object, object>> docs) => new(
            docs.Where(d => (string)d["kind"] == "Deployment").Select(d => new Pod(At<string>(d, "metadata", "name"),
                new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace },
                At<Dictionary<object, object>>(d, "spec", "template", "metadata", "labels").ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value))).ToList(),
            Pod.In(Namespace, "mongodb", ("app", $"{Name(docs, "MongoDBCommunity")}-svc")),
            // the RabbitMQ Cluster Operator's labels on a RabbitmqCluster's pods
            Pod.In(Namespace, "rabbitmq", ("app.kubernetes.io/name", Name(docs, "RabbitmqCluster")), ("app.kubernetes.io/component", "rabbitmq"), ("app.kubernetes.io/part-of", "rabbitmq")));

        private static string Name(List<Dictionary<object, object>> docs, string kind) => At<string>(docs.Single(d => (string)d["kind"] == kind), "metadata", "name");
    }

    private static readonly Pod IngressController = Pod.In("ingress-nginx", "ingress-nginx controller", ("app.kubernetes.io/name", "ingress-nginx"), ("app.kubernetes.io/component", "controller"));
    private static readonly Pod Dns = Pod.In("kube-system", "kube-dns", ("k8s-app", "kube-dns"));
    private static readonly Pod TopologyOperator = Pod.In("rabbitmq-system", "messaging-topology-operator", ("app.kubernetes.io/name", "messaging-topology-operator"));
    private static readonly Pod ApiServer = Pod.Outside("the API server");
    private static readonly Pod Internet = Pod.Outside("an address outside the cluster");
    private static readonly Pod Stranger = Pod.In(Namespace, "a pod of nobody's", ("app", "debug"));

    /// <summary>Each flow as "from → to:port/protocol", and whether the market needs it (true) or must not have it (false).</summary>
    internal static List<(Pod From, Pod To, int Port, string Protocol, bool Needed)> Flows(Cluster c)
    {
        var flows = new List<(Pod, Pod, int, string, bool)>();
        void Need(Pod from, Pod to, int port, string protocol = "TCP") => flows.Add((from, to, port, protocol, true));
        void Deny(Pod from, Pod to, int port, string protocol = "TCP") => flows.Add((from, to, port, protocol, false));

        // from outside, through the ingress controller: the gateway only
        Need(IngressController, c.Gateway, 8080);
        foreach (var backend in c.Backends) Deny(IngressController, backend, 8080);
        Deny(IngressController, c.Mongo, 27017);
        Deny(IngressController, c.Rabbit, 5672);
        Deny(Internet, c.Mongo, 27017);
        Deny(Internet, c.Rabbit, 5672);
        foreach (var backend in c.Backends)
        {
            Need(c.Gateway, backend, 8080);   // the proxy
            Need(backend, c.Gateway, 8080);   // the gateway's signing keys (JWKS)
            foreach (var other in c.Backends.Where(o => o != backend)) Deny(other, backend, 8080);
            Deny(Stranger, backend, 8080);
        }
        foreach (var pod in c.Market)
        {
            Need(pod, c.Mongo, 27017);
            Need(pod, c.Rabbit, 5672);
            Need(pod, Dns, 53, "UDP");
            Need(pod, Dns, 53, "TCP");
            Deny(pod, c.Rabbit, 15672);       // the management API is the topology operator's
            Deny(pod, c.Rabbit, 25672);       // the nodes' own distribution traffic
            Deny(pod, c.Rabbit, 4369);
            Deny(pod, Internet, 443);
            Deny(pod, ApiServer, 6443);       // automountServiceAccountToken is off: no pod of the market talks to it
            // mail: notifications alone, to the SMTP server on submission (587) or a relay (25)
            (pod.Name == "notifications" ? (Action<Pod, Pod, int, string>)Need : Deny)(pod, Internet, 587, "TCP");
            (pod.Name == "notifications" ? (Action<Pod, Pod, int, string>)Need : Deny)(pod, Internet, 25, "TCP");
            Deny(pod, Internet, 465);         // implicit TLS, which the mail sender does not speak
        }
        // replica-set traffic, the RabbitMQ cluster's traffic, and what their pods ask DNS and the API server
        Need(c.Mongo, c.Mongo, 27017);
        Need(c.Rabbit, c.Rabbit, 4369);
        Need(c.Rabbit, c.Rabbit, 25672);
        Need(TopologyOperator, c.Rabbit, 15672);
        foreach (var store in new[] { c.Mongo, c.Rabbit })
        {
            Need(store, Dns, 53, "UDP");
            Need(store, Dns, 53, "TCP");
            Need(store, ApiServer, 443);
            Deny(Stranger, store, store == c.Mongo ? 27017 : 5672);
            Deny(Pod.In("elsewhere", "a pod of another namespace", ("app.kubernetes.io/name", "listing")), store, store == c.Mongo ? 27017 : 5672);
            Deny(store, Internet, 80);
        }
        Deny(c.Mongo, c.Rabbit, 5672);
        Deny(c.Rabbit, c.Mongo, 27017);
        Deny(c.Mongo, c.Gateway, 8080);
        Deny(c.Rabbit, c.Gateway, 8080);
        return flows;
    }

    /// <summary>The flows the policies get wrong: a needed one denied, or an unwanted one allowed.</summary>
    internal static List<string> Wrong(List<Dictionary<object, object>> docs)
    {
        var policies = new NetworkPolicies(Namespace, docs.Where(d => (string)d["kind"] == "NetworkPolicy"));
        return Flows(Cluster.Of(docs)).Where(f => policies.Allows(f.From, f.To, f.Port, f.Protocol) != f.Needed)
            .Select(f => $"{f.From} → {f.To}:{f.Port}/{f.Protocol} is {(f.Needed ? "denied" : "allowed")}").ToList();
    }

    [Theory]
    [MemberData(nameof(Overlays), MemberType = typeof(KubernetesTests))]
    public async Task The_policies_allow_exactly_the_flows_the_market_needs(string overlay)
    {
        var docs = await Render(overlay);
        var wrong = Wrong(docs);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        var flows = Flows(Cluster.Of(docs));
        Assert.Equal(6, Cluster.Of(docs).Market.Count);
        Assert.True(flows.Count(f => f.Needed) > 40 && flows.Count(f => !f.Needed) > 60, "the table lost its flows");
    }

    public static TheoryData<string, string, string, string> Breakages() => new()
    {
        // MongoDB's own policy takes the services on another port
        { "mongodb", "ingress/0/ports/0/port", "27018", "listing → mongodb:27017/TCP is denied" },
        // the egress policy names MongoDB's pods by a label its operator does not give them
        { "egress", "egress/1/to/0/podSelector/matchLabels/app", "mongodb", "gateway → mongodb:27017/TCP is denied" },
        // RabbitMQ's nodes no longer reach each other over the distribution port
        { "rabbitmq", "ingress/1/ports/1/port", "25673", "rabbitmq → rabbitmq:25672/TCP is denied" },
        // DNS over UDP forgotten
        { "egress", "egress/0/ports/0/protocol", "TCP", "broker → kube-dns:53/UDP is denied" },
        // the services let every pod of the namespace in, each other too
        { "services-from-gateway", "ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1name", "DELETE", "broker → listing:8080/TCP is allowed" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_policy_that_blocks_a_needed_flow_or_opens_another_is_caught(string policy, string pointer, string value, string expected)
    {
        var docs = await Render("k8s/overlays/production");
        var spec = At<Dictionary<object, object>>(docs.Single(d => (string)d["kind"] == "NetworkPolicy" && At<string>(d, "metadata", "name") == policy), "spec");
        Set(spec, pointer, value);
        Assert.Contains(expected, Wrong(docs));
    }

    /// <summary>Sets (or with DELETE removes) the value at a JSON-pointer-like path of maps and lists.</summary>
    private static void Set(object node, string pointer, string value)
    {
        var keys = pointer.Split('/').Select(k => k.Replace("~1", "/", StringComparison.Ordinal)).ToArray();
        foreach (var key in keys[..^1])
            node = node is List<object> list ? list[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : ((Dictionary<object, object>)node)[key];
        var map = (Dictionary<object, object>)node;
        Assert.True(map.ContainsKey(keys[^1]), $"{pointer} is not in the policy");
        if (value == "DELETE") map.Remove(keys[^1]);
        else map[keys[^1]] = value;
    }
}
