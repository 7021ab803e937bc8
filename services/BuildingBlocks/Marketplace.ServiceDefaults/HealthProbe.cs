namespace Marketplace.ServiceDefaults;

/// <summary>
/// <c>dotnet Host.dll healthcheck [url]</c>: asks a running host for its readiness and exits 0 when
/// it is healthy, 1 otherwise. Container health checks use it, so images need no curl or wget.
/// The URL defaults to <c>/health/ready</c> on the port of <c>ASPNETCORE_HTTP_PORTS</c> (or
/// <c>URLS</c>/<c>ASPNETCORE_URLS</c>) on the loopback address.
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
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{url}: {e.Message}");
            return 1;
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
