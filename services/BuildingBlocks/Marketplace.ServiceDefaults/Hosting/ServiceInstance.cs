using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Marketplace.ServiceDefaults.Hosting;

/// <summary>Who this process is among the replicas of its service: the one id for its leases and its own queues.</summary>
public static class ServiceInstance
{
    /// <summary>
    /// <c>Instance:Id</c> (Kubernetes sets it to the pod's name), or the machine name with a hash of
    /// the data folder — stable across a restart, so a restarted process takes its own leases and
    /// queue back at once. Lower-case letters, digits and hyphens, so it can name a queue.
    /// </summary>
    public static string Id(IConfiguration configuration)
    {
        if (configuration["Instance:Id"] is { Length: > 0 } configured) return Clean(configured);
        var data = Path.GetFullPath(configuration["Storage:DataDirectory"] ?? "data");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..8].ToLowerInvariant();
        return $"{Clean(Environment.MachineName)}-{hash}";
    }

    private static string Clean(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' ? c : '-').ToArray();
        return new string(chars).Trim('-') is { Length: > 0 } clean ? clean : "instance";
    }
}
