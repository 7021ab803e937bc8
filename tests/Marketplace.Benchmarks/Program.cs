using System.Globalization;
using Marketplace.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Benchmarks -- all
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- store [--sizes 10000,100000,1000000] [--queries 2000] [--dir DIR]
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- routes [--listings 100000] [--seconds 20] [--connections 32] [--soak-minutes 10] [--dir DIR]
//   (routes starts the built gateway: dotnet build gateway/Marketplace.Gateway -c Release first)
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
if (listings < 1 || seconds <= 0 || connections < 1 || soakMinutes < 0)
{
    Console.Error.WriteLine("--listings and --connections must be at least 1, --seconds above 0, --soak-minutes not negative");
    return 2;
}
try
{
    switch (command)
    {
        case "store":
            await StoreBench.RunAsync(sizes, queries, directory);
            return 0;
        case "routes":
            return await RouteBench.RunAsync(listings, seconds, connections, soakMinutes, directory);
        case "all":
            // the store benchmark removes its directory when it is done: the routes benchmark seeds it afresh
            await StoreBench.RunAsync(sizes, queries, directory);
            return await RouteBench.RunAsync(listings, seconds, connections, soakMinutes, directory);
        default:
            Console.Error.WriteLine("usage: all | store [--sizes N,N,...] [--queries N] [--dir DIR]"
                + " | routes [--listings N] [--seconds S] [--connections N] [--soak-minutes M] [--dir DIR]");
            return 2;
    }
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
