using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Marketplace.Contracts;
using Marketplace.Portal;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Ends the sessions of an account that was disabled or given a new password by an admin. A token (and the
/// portal session holding one) names the account's session generation it was issued in
/// (<see cref="MarketClaims.Sessions"/>); every request the gateway authenticates — its own routes, the
/// embedded modules' and the ones it forwards — is refused once the account is disabled or has moved on to
/// another generation: a token with 401 <c>invalid_token</c> (on a route anyone may call, such as signing in
/// again, the request goes on as a visitor's, without the token), a portal session by signing it out (the page
/// then asks to sign in). Accounts are read at most every <see cref="Recheck"/> per gateway replica; a change
/// made through this replica takes effect at once, one made through another within that time.
/// </summary>
public sealed partial class AccountSessions(AggregateStore<Account> accounts, TimeProvider time, ILogger<AccountSessions> logger)
{
    public const string Ended = "登录已失效：账户已停用或密码已由管理员重设，请重新登录 / This session has ended: the account was disabled or an administrator set a new password; sign in again.";

    /// <summary>How long a replica trusts what it last read of an account.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    private sealed record Known(bool Active, int Generation, DateTimeOffset ReadAt);

    /// <summary>Whether a session issued to <paramref name="subject"/> in <paramref name="generation"/> may still act.</summary>
    public async ValueTask<bool> IsCurrentAsync(string subject, int generation, CancellationToken ct)
    {
        var key = Account.Key(subject);
        var now = time.GetUtcNow();
        if (!_known.TryGetValue(key, out var known) || now - known.ReadAt >= Recheck)
        {
            var account = AccountRules.IsUsername(key) ? await accounts.FindAsync(key, ct) : null;
            // an account that no longer exists has no session left
            known = new Known(account?.Active ?? false, account?.SessionGeneration ?? -1, now);
            _known[key] = known;
        }
        return known.Active && known.Generation == generation;
    }

    /// <summary>This replica reads the account again at its next request (after a change made here).</summary>
    public void Forget(string username) => _known.TryRemove(Account.Key(username), out _);

    /// <summary>The middleware, after authentication: a request of an ended session goes no further as that user.</summary>
    public async Task RefuseEnded(HttpContext context, RequestDelegate next)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(MarketClaims.Subject)?.Value is { Length: > 0 } subject
            && !await IsCurrentAsync(subject, Generation(user), context.RequestAborted))
        {
            if (user.Identity.AuthenticationType == PortalSetup.CookieScheme)
            {
                LogPortalSessionEnded(subject);
                await context.SignOutAsync(PortalSetup.CookieScheme);
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                // a route anyone may call (signing in again, above all) is answered as for a visitor without a token
                LogTokenRefused(subject);
                context.Request.Headers.Authorization = default;
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else
            {
                LogTokenRefused(subject);
                var problem = ProblemDetailsExceptionHandler.Map(new UnauthorizedException(Ended));
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"the session has ended\"";
                await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
                return;
            }
        }
        await next(context);
    }

    // a token issued before generations existed carries none: the first generation
    private static int Generation(ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(MarketClaims.Sessions)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "A token of {Subject} was refused: the account's sessions have ended")]
    private partial void LogTokenRefused(string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "The portal session of {Subject} was signed out: the account's sessions have ended")]
    private partial void LogPortalSessionEnded(string subject);
}
