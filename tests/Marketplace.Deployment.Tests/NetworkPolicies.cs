namespace Marketplace.Deployment.Tests;

/// <summary>A pod as NetworkPolicies see it: its namespace's labels and its own.</summary>
public sealed record Pod(string Name, IReadOnlyDictionary<string, string> NamespaceLabels, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Something outside the cluster's pods (the API server, the internet): only an empty peer list or an ipBlock lets it in or out.</summary>
    public bool External => Labels.Count == 0 && NamespaceLabels.Count == 0;

    public static Pod In(string @namespace, string name, params (string Key, string Value)[] labels) =>
        new(name, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = @namespace }, labels.ToDictionary(l => l.Key, l => l.Value));

    public static Pod Outside(string name) => new(name, new Dictionary<string, string>(), new Dictionary<string, string>());

    public override string ToString() => Name;
}

/// <summary>
/// The NetworkPolicies of one namespace, evaluated the way Kubernetes does: a connection is allowed when
/// the source may send it (no policy selects the source for Egress, or one of those that do allows it)
/// and the destination may receive it (likewise for Ingress).
/// </summary>
public sealed class NetworkPolicies(string @namespace, IEnumerable<Dictionary<object, object>> policies)
{
    private readonly List<Dictionary<object, object>> _policies = policies.ToList();

    public bool Allows(Pod from, Pod to, int port, string protocol = "TCP") =>
        Permits(from, "Egress", "egress", "to", to, port, protocol) && Permits(to, "Ingress", "ingress", "from", from, port, protocol);

    private bool Permits(Pod pod, string type, string rulesKey, string peersKey, Pod peer, int port, string protocol)
    {
        if (!InNamespace(pod)) return true; // policies of this namespace do not govern pods elsewhere
        var selecting = _policies.Where(p => Types(p).Contains(type) && Matches(Spec(p).GetValueOrDefault("podSelector"), pod.Labels)).ToList();
        if (selecting.Count == 0) return true;
        return selecting.Any(p => Spec(p).TryGetValue(rulesKey, out var rules) && rules is List<object> list && list.Cast<Dictionary<object, object>>().Any(rule =>
            PortMatches(rule.GetValueOrDefault("ports"), port, protocol) && PeerMatches(rule.GetValueOrDefault(peersKey), peer)));
    }

    private bool InNamespace(Pod pod) => pod.NamespaceLabels.GetValueOrDefault("kubernetes.io/metadata.name") == @namespace;

    private static Dictionary<object, object> Spec(Dictionary<object, object> policy) => (Dictionary<object, object>)policy["spec"];

    private static List<string> Types(Dictionary<object, object> policy)
    {
        var spec = Spec(policy);
        if (spec.TryGetValue("policyTypes", out var types)) return ((List<object>)types).Cast<string>().ToList();
        return spec.ContainsKey("egress") ? ["Ingress", "Egress"] : ["Ingress"];
    }

    private static bool PortMatches(object? ports, int port, string protocol)
    {
        if (ports is not List<object> list || list.Count == 0) return true;
        return list.Cast<Dictionary<object, object>>().Any(p =>
        {
            if ((string?)p.GetValueOrDefault("protocol") is { } proto && proto != protocol) return false;
            if (!protocol.Equals("TCP", StringComparison.Ordinal) && !p.ContainsKey("protocol")) return false;
            if (!p.TryGetValue("port", out var value)) return true;
            if (!int.TryParse((string)value, out var from)) return false; // a named port: not used here
            var to = p.TryGetValue("endPort", out var end) ? int.Parse((string)end, System.Globalization.CultureInfo.InvariantCulture) : from;
            return port >= from && port <= to;
        });
    }

    private bool PeerMatches(object? peers, Pod peer)
    {
        if (peers is not List<object> list || list.Count == 0) return true;
        return list.Cast<Dictionary<object, object>>().Any(p =>
        {
            if (p.ContainsKey("ipBlock")) return peer.External;
            if (peer.External) return false;
            var namespaceOk = p.TryGetValue("namespaceSelector", out var ns) ? Matches(ns, peer.NamespaceLabels) : InNamespace(peer);
            var podOk = !p.TryGetValue("podSelector", out var pods) || Matches(pods, peer.Labels);
            return namespaceOk && podOk;
        });
    }

    /// <summary>A label selector: matchLabels and matchExpressions; an empty selector selects everything.</summary>
    public static bool Matches(object? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not Dictionary<object, object> map) return true;
        if (map.TryGetValue("matchLabels", out var matchLabels) && matchLabels is Dictionary<object, object> required
            && required.Any(kv => labels.GetValueOrDefault((string)kv.Key) != (string)kv.Value)) return false;
        if (map.TryGetValue("matchExpressions", out var expressions) && expressions is List<object> list)
            foreach (Dictionary<object, object> e in list)
            {
                var key = (string)e["key"];
                var values = e.TryGetValue("values", out var v) ? ((List<object>)v).Cast<string>().ToList() : [];
                var has = labels.TryGetValue(key, out var value);
                var ok = (string)e["operator"] switch
                {
                    "In" => has && values.Contains(value!),
                    "NotIn" => !has || !values.Contains(value!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    var op => throw new InvalidOperationException($"unknown operator {op}"),
                };
                if (!ok) return false;
            }
        return true;
    }
}
