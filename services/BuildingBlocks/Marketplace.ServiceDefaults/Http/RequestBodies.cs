using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Http;

public static class RequestBodies
{
    /// <summary>
    /// Reads and drops what is left of a refused request's body, for at most <paramref name="within"/>, before the
    /// refusal goes: a client (or a proxy) still sending it would otherwise see the connection closed under it and
    /// never read the answer. A body cut short, past a limit or too slow ends the reading; the answer goes anyway.
    /// </summary>
    public static async Task DrainAsync(this HttpRequest request, TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        timeout.CancelAfter(within);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await request.Body.ReadAsync(buffer, timeout.Token) > 0) { }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // past the limit (BadHttpRequestException is an IOException), cut short, or too slow
        }
    }
}
