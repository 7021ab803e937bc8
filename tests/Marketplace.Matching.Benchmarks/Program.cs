using Marketplace.Matching.Benchmarks;

// dotnet run -c Release --project tests/Marketplace.Matching.Benchmarks -- quality [--only SmartCn|Bigram|Combined] [--variants v1,v2,...|all] [--data PATH]
//   (QUALITY_DIAG=1: also what the top 10 holds against the ideal top 10)
// dotnet run -c Release --project tests/Marketplace.Matching.Benchmarks -- bench [--count N] [--analysis MODE] [--keep DIR] [--data PATH]
var command = args.FirstOrDefault() ?? "quality";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var data = Option("--data", "");
if (data.Length == 0) data = CslRecord.FindDataFile();
switch (command)
{
    case "quality":
        Quality.Run(data, Option("--only", "") is { Length: > 0 } only ? only : null, Option("--variants", "") is { Length: > 0 } v ? v : null);
        break;
    case "bench":
        Bench.Run(data, int.Parse(Option("--count", "1000000"), System.Globalization.CultureInfo.InvariantCulture), Option("--analysis", "SmartCn"), Option("--keep", "") is { Length: > 0 } keep ? keep : null);
        break;
    default:
        Console.Error.WriteLine("usage: quality [--only MODE] [--variants v1,v2|all] | bench [--count N] [--analysis SmartCn|Bigram|Combined] [--keep DIR] [--data PATH]");
        return 2;
}
return 0;
