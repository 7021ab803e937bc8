using System.Globalization;
using Marketplace.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Benchmarks -- all
// dotnet run -c Release --project tests/Marketplace.Benchmarks -- store [--sizes 10000,100000,1000000] [--queries 2000] [--dir DIR]
var command = args.FirstOrDefault() ?? "all";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var sizes = Option("--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var queries = int.Parse(Option("--queries", "2000"), CultureInfo.InvariantCulture);
var directory = Option("--dir", Path.Combine(Path.GetTempPath(), "market-bench-" + Environment.ProcessId));
switch (command)
{
    case "store" or "all":
        await StoreBench.RunAsync(sizes, queries, directory);
        break;
    default:
        Console.Error.WriteLine("usage: all | store [--sizes N,N,...] [--queries N] [--dir DIR]");
        return 2;
}
return 0;
