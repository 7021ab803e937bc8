using System.Globalization;
using Marketplace.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Benchmarks -- all
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- store [--sizes 10000,100000,1000000] [--queries 2000] [--dir DIR]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- routes [--listings 100000] [--seconds 20] [--connections 32] [--soak-minutes 10] [--dir DIR] [--keep]
//   (--keep leaves the seeded data directory behind, e.g. to profile a restart on it)
//   (routes starts the built gateway: dotnet build gateway/Marketplace.Gateway -c Release first)
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- gateway [--seconds 5] [--rounds 3] [--connections 32] [--trace FILE.nettrace] [--gateway-env KEY=VALUE,...] [--dir DIR]
//   (gateway starts the built gateway and listing host, Release, and nginx: apt-get install -y nginx)
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- events [--approvals 1000] [--connections 32] [--dir DIR]
//   (events starts the built gateway, like routes)
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- events-distributed [--rate 200] [--seconds 20] [--rabbitmq amqp://guest:guest@127.0.0.1:5672/] [--dir DIR]
//   (events-distributed starts the built matching host on RabbitMQ: dotnet build services/Matching/Marketplace.Matching.Api -c Release first)
var command = args.FirstOrDefault() ?? "all";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int Int(string name, string fallback) => int.Parse(Option(name, fallback), CultureInfo.InvariantCulture);
double Real(string name, string fallback) => double.Parse(Option(name, fallback), CultureInfo.InvariantCulture);
var sizes = Option("--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var queries = Int("--queries", "2000");
var directory = Option("--dir", Path.Combine(Path.GetTempPath(), "market-bench-" + Environment.ProcessId));
var listings = Int("--listings", "100000");
var seconds = Real("--seconds", "20");
var connections = Int("--connections", "32");
var soakMinutes = Real("--soak-minutes", "10");
var approvals = Int("--approvals", "1000");
if (listings < 1 || seconds <= 0 || connections < 1 || soakMinutes < 0 || approvals < 1)
{
    Console.Error.WriteLine("--listings, --connections and --approvals must be at least 1, --seconds above 0, --soak-minutes not negative");
    return 2;
}
// the gateway against nginx: shorter rounds by default (it alternates three targets), and extra gateway settings to try
Task<int> Gateway() => GatewayBench.RunAsync(Real("--seconds", "5"), Int("--rounds", "3"), connections, args.Contains("--trace") ? Option("--trace", "gateway.nettrace") : null,
    Option("--gateway-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e.Length > 1 ? e[1] : ""), directory);
try
{
    switch (command)
    {
        case "store":
            await StoreBench.RunAsync(sizes, queries, directory);
            return 0;
        case "routes":
            return await RouteBench.RunAsync(listings, seconds, connections, soakMinutes, directory, keep: args.Contains("--keep"));
        case "gateway":
            return await Gateway();
        case "events":
            return await EventBench.RunAsync(approvals, connections, directory);
        case "events-distributed":
            return await DistributedEventBench.RunAsync(Int("--rate", "200"), seconds, Option("--rabbitmq", "amqp://guest:guest@127.0.0.1:5672/"), directory);
        case "all":
            // each benchmark removes its directory when it is done: the next one starts it afresh
            await StoreBench.RunAsync(sizes, queries, directory);
            var routes = await RouteBench.RunAsync(listings, seconds, connections, soakMinutes, directory, keep: false);
            var events = await EventBench.RunAsync(approvals, connections, directory);
            var gateway = await Gateway();
            // the distributed half needs a RabbitMQ: run when one is named
            var distributed = args.Contains("--rabbitmq")
                ? await DistributedEventBench.RunAsync(Int("--rate", "200"), seconds, Option("--rabbitmq", ""), directory)
                : 0;
            return new[] { routes, events, gateway, distributed }.Max();
        default:
            Console.Error.WriteLine("usage: all | store [--sizes N,N,...] [--queries N] [--dir DIR]"
                + " | routes [--listings N] [--seconds S] [--connections N] [--soak-minutes M] [--dir DIR] [--keep]"
                + " | events [--approvals N] [--connections N] [--dir DIR]"
                + " | events-distributed [--rate N] [--seconds S] [--rabbitmq URI] [--dir DIR]"
                + " | gateway [--seconds S] [--rounds R] [--connections N] [--trace FILE] [--gateway-env KEY=VALUE,...] [--dir DIR]");
            return 2;
    }
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
