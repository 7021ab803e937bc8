using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>
/// A small market for the access matrix: broker A (changsha, active) with a deal and a lead
/// offered to A; broker B (another agency, changsha); broker C (zhuzhou); broker P (pending).
/// </summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public BrokerApi Api { get; } = new();
    public Dictionary<string, string?> Callers { get; } = [];
    public string BrokerA { get; private set; } = "";
    public string BrokerP { get; private set; } = "";
    public string Deal { get; private set; } = "";
    public Guid Lead { get; private set; }

    public async Task InitializeAsync()
    {
        var a = await Api.ActiveBroker("changsha", "new-energy");
        var b = await Api.ActiveBroker("changsha", "biomed");
        var c = await Api.ActiveBroker("zhuzhou", "new-energy");
        var p = Api.BrokerAccount("changsha");
        BrokerA = a.Id;
        BrokerP = (string)(await (await Api.Client.Send(HttpMethod.Post, "/api/brokers", p, BrokerApi.Profile(["new-energy"]))).Expect(201))["id"]!;
        Deal = (string)(await (await Api.Client.Send(HttpMethod.Post, "/api/deals", a.Token, new { title = "准入矩阵用交易", field = "new-energy" })).Expect(201))["id"]!;
        var match = BrokerApi.Match("changsha", "new-energy");
        await Api.Suggest(match);
        Lead = match.MatchId;

        Callers["anonymous"] = null;
        foreach (var role in new[] { Roles.University, Roles.Enterprise, Roles.Registrar, Roles.Tax, Roles.Admin })
            Callers[role] = Api.Tokens.For(role, role + "-org");
        Callers["operator"] = Api.Operator("changsha");
        Callers["operator-zhuzhou"] = Api.Operator("zhuzhou");
        Callers["operator-hq"] = Api.Operator("hq");
        Callers["broker-a"] = a.Token;
        Callers["broker-b"] = b.Token;
        Callers["broker-zhuzhou"] = c.Token;
        Callers["broker-pending"] = p;
        Callers["broker-new"] = Api.BrokerAccount("changsha");
    }

    public Task DisposeAsync()
    {
        Api.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class AccessTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private static readonly string[] Others = ["anonymous", Roles.University, Roles.Enterprise, Roles.Registrar, Roles.Tax, Roles.Admin];

    /// <summary>Route, caller, expected status. Writes here are all refusals: the successes are in the other test classes.</summary>
    public static TheoryData<string, string, int> Matrix()
    {
        var data = new TheoryData<string, string, int>();
        void Row(string route, IEnumerable<(string Caller, int Status)> rows)
        {
            foreach (var (caller, status) in rows) data.Add(route, caller, status);
        }
        IEnumerable<(string, int)> NonBrokers(int anonymous = 401) =>
            Others.Select(o => (o, o == "anonymous" ? anonymous : 403));
        // universities and enterprises may be a deal's parties: to one that is not, a deal does not exist
        IEnumerable<(string, int)> NonParties(int parties) =>
            NonBrokers().Select(r => r.Item1 is Roles.University or Roles.Enterprise ? (r.Item1, parties) : r);

        Row("POST /api/brokers", [.. NonBrokers(), ("operator", 403), ("broker-a", 409)]);
        Row("GET /api/brokers", [.. Others.Select(o => (o, 200)), ("operator", 200), ("broker-b", 200)]);
        Row("GET /api/brokers?status=pending", [.. NonBrokers(), ("broker-a", 403), ("operator", 200), ("operator-zhuzhou", 200), ("operator-hq", 200)]);
        Row("GET /api/brokers?status=pending&subMarket=changsha", [("operator-zhuzhou", 403), ("operator-hq", 200)]);
        Row("GET /api/brokers/me", [.. NonBrokers(), ("operator", 403), ("broker-a", 200), ("broker-new", 404)]);
        Row("GET /api/brokers/{a}", [.. Others.Select(o => (o, 200)), ("broker-b", 200)]);
        Row("GET /api/brokers/{p}", [.. NonBrokers(), ("broker-a", 403), ("operator-zhuzhou", 403), ("operator", 200), ("operator-hq", 200), ("broker-pending", 200)]);
        Row("PUT /api/brokers/{a}", [.. NonBrokers(), ("operator", 403), ("broker-b", 403), ("broker-zhuzhou", 403)]);
        Row("POST /api/brokers/{p}/approve", [.. NonBrokers(), ("broker-a", 403), ("broker-pending", 403), ("operator-zhuzhou", 403)]);
        Row("POST /api/brokers/{a}/suspend", [.. NonBrokers(), ("broker-a", 403), ("broker-b", 403), ("operator-zhuzhou", 403)]);
        Row("GET /api/brokers/{a}/stats", [.. NonBrokers(), ("broker-b", 403), ("operator-zhuzhou", 403), ("broker-a", 200), ("operator", 200)]);
        Row("GET /api/leads", [.. NonBrokers(), ("broker-a", 200), ("operator", 200), ("operator-hq", 200)]);
        Row("GET /api/leads/{lead}", [.. NonBrokers(), ("broker-b", 403), ("broker-zhuzhou", 403), ("operator-zhuzhou", 403), ("broker-a", 200), ("operator", 200), ("operator-hq", 200)]);
        Row("POST /api/leads/{lead}/accept", [.. NonBrokers(), ("operator", 403), ("broker-b", 403), ("broker-zhuzhou", 403), ("broker-pending", 403)]);
        Row("POST /api/leads/{lead}/decline", [.. NonBrokers(), ("operator", 403), ("broker-b", 403), ("broker-zhuzhou", 403)]);
        Row("POST /api/leads/{lead}/assign", [.. NonBrokers(), ("broker-a", 403), ("operator-zhuzhou", 403)]);
        Row("POST /api/deals", [.. NonBrokers(), ("operator", 403), ("broker-pending", 403)]);
        Row("GET /api/deals", [.. NonParties(200), ("broker-a", 200), ("operator", 200)]);
        Row("GET /api/deals?subMarket=changsha", [("operator-zhuzhou", 403), ("operator-hq", 200)]);
        Row("GET /api/deals/{deal}", [.. NonParties(404), ("broker-b", 403), ("operator-zhuzhou", 403), ("broker-a", 200), ("operator", 200), ("operator-hq", 200)]);
        Row("POST /api/deals/{deal}/stage", [.. NonParties(404), ("operator", 403), ("broker-b", 403), ("broker-zhuzhou", 403)]);
        Row("POST /api/deals/{deal}/notes", [.. NonParties(404), ("operator", 403), ("broker-b", 403)]);
        Row("POST /api/deals/{deal}/contract", [.. NonParties(404), ("operator", 403), ("operator-hq", 403), ("broker-b", 403), ("broker-zhuzhou", 403)]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_broker_route_answers_each_caller_as_it_should_and_refusals_change_nothing(string route, string caller, int expected)
    {
        var api = world.Api;
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]
            .Replace("{a}", world.BrokerA).Replace("{p}", world.BrokerP).Replace("{lead}", world.Lead.ToString()).Replace("{deal}", world.Deal));
        object? body = method == "GET" ? null : path switch
        {
            "/api/brokers" => BrokerApi.Profile(["new-energy"]),
            _ when path.StartsWith("/api/brokers/", StringComparison.Ordinal) && method == "PUT" => BrokerApi.Profile(["new-energy"]),
            _ when path.EndsWith("/suspend", StringComparison.Ordinal) => new { reason = "矩阵测试" },
            _ when path.EndsWith("/assign", StringComparison.Ordinal) => new { brokerId = world.BrokerA },
            "/api/deals" => new { title = "矩阵测试交易", field = "new-energy" },
            _ when path.EndsWith("/stage", StringComparison.Ordinal) => new { to = "contacted" },
            _ when path.EndsWith("/notes", StringComparison.Ordinal) => new { text = "矩阵测试" },
            _ when path.EndsWith("/contract", StringComparison.Ordinal) => new { registrationNumber = "2026430101999999" },
            _ => new { },
        };
        var headers = new Dictionary<string, string> { ["If-Match"] = "\"1\"" };
        var before = await Versions();

        var response = await api.Client.Send(new HttpMethod(method), path, world.Callers[caller], body, headers);
        await response.Expect(expected);

        if (method != "GET") Assert.Equal(before, await Versions());
    }

    private async Task<string> Versions()
    {
        var api = world.Api;
        var op = api.Operator("hq");
        var a = await (await api.Client.Send(HttpMethod.Get, $"/api/brokers/{world.BrokerA}", op)).Expect(200);
        var p = await (await api.Client.Send(HttpMethod.Get, $"/api/brokers/{world.BrokerP}", op)).Expect(200);
        var lead = await (await api.Client.Send(HttpMethod.Get, $"/api/leads/{world.Lead}", op)).Expect(200);
        var deal = await (await api.Client.Send(HttpMethod.Get, $"/api/deals/{world.Deal}", op)).Expect(200);
        var pending = await (await api.Client.Send(HttpMethod.Get, "/api/brokers?status=pending", op)).Expect(200);
        return $"{a["version"]}/{a["status"]} {p["version"]}/{p["status"]} {lead["version"]}/{lead["status"]} {deal["version"]}/{deal["stage"]} pending={pending["total"]}";
    }
}
