using System.Text;
using System.Text.Json;

namespace Marketplace.ServiceDefaults;

/// <summary>
/// <c>dotnet Host.dll healthcheck [url]</c>: asks a running host for its readiness and exits 0 when
/// it is healthy, 1 otherwise. Container health checks use it, so images need no curl or wget.
/// The URL defaults to <c>/health/ready</c> on the port of <c>ASPNETCORE_HTTP_PORTS</c> (or
/// <c>URLS</c>/<c>ASPNETCORE_URLS</c>) on the loopback address. It prints the answer's status and
/// each check's (<c>url: 200 Degraded; masstransit-bus: Degraded (Not ready: not started); outbox: Healthy</c>),
/// which a container's health log keeps: a host that is up while its bus still connects says so.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    /// <returns>the exit code when <paramref name="args"/> asks for a probe, otherwise null (run the host).</returns>
    public static int? RunIfAsked(string[] args)
    {
        if (args.Length == 0 || args[0] != Command) return null;
        var url = args.Length > 1 ? args[1] : DefaultUrl();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = client.GetAsync(url).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Console.WriteLine($"{url}: {(int)response.StatusCode}{Describe(body)}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>The report's status and its checks', from the JSON <c>/health/*</c> writes; nothing for any other body.</summary>
    internal static string Describe(string body)
    {
        try
        {
            using var report = JsonDocument.Parse(body);
            var root = report.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
                return "";
            var text = new StringBuilder(" ").Append(status.GetString());
            if (root.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Object)
                foreach (var check in checks.EnumerateObject())
                {
                    text.Append("; ").Append(check.Name).Append(": ");
                    if (check.Value.ValueKind != JsonValueKind.Object) continue;
                    if (check.Value.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String) text.Append(s.GetString());
                    if (check.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() is { Length: > 0 } description)
                        text.Append(" (").Append(description.ReplaceLineEndings(" ")).Append(')');
                }
            return text.ToString();
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string DefaultUrl()
    {
        var port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0];
        if (string.IsNullOrWhiteSpace(port))
        {
            var urls = Environment.GetEnvironmentVariable("URLS") ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
            var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            port = first is not null && Uri.TryCreate(first.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : "8080";
        }
        return $"http://127.0.0.1:{port}/health/ready";
    }
}
