using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Portal.Api;

internal static class RequestUser
{
    /// <summary>Outside a Blazor circuit (the portal's own routes) the session's user is the request's user.</summary>
    public static void UseRequestUser(this AuthenticationStateProvider auth, HttpContext http)
    {
        if (auth is IHostEnvironmentAuthenticationStateProvider host)
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
    }
}
