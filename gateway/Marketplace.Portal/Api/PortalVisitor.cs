using Microsoft.AspNetCore.Http;

namespace Marketplace.Portal.Api;

/// <summary>
/// The address of the browser this circuit (or request) serves. The portal calls the API over
/// loopback, a proxy the gateway trusts: it names the visitor in <c>X-Forwarded-For</c>, so the API's
/// per-client limits count visitors, not the portal as one client.
/// </summary>
public sealed class PortalVisitor(IHttpContextAccessor http)
{
    private string? _address;

    /// <summary>The visitor's address: as the page that opened the circuit saw it, else the current request's.</summary>
    public string? Address
    {
        get => _address ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        set => _address ??= value;
    }
}
