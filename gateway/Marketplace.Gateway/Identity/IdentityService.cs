using System.Net;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Gateway.Identity;

public sealed partial class IdentityService(
    AggregateStore<Account> accounts,
    AggregateStore<Organisation> organisations,
    IPasswordHasher<Account> hasher,
    TokenIssuer tokens,
    UnknownUsernames unknownUsernames,
    AccountSessions sessions,
    TimeProvider time,
    ILogger<IdentityService> logger)
{
    private const string BadCredentials = "用户名或密码错误 / Wrong username or password.";
    public const string Disabled = "该账户已停用，请联系管理员 / This account is disabled; ask an administrator.";

    // Verifying against this keeps unknown usernames as slow as known ones.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    private static TooManyRequestsException Refused(TimeSpan retryAfter) =>
        new("登录失败次数过多，请稍后再试 / Too many failed sign-ins; try again later.", retryAfter);

    public AggregateStore<Account> Accounts => accounts;
    public AggregateStore<Organisation> Organisations => organisations;

    /// <param name="client">the remote end of the connection: failures lock this address out, not the account (<see cref="SignInFailures"/>)</param>
    public async Task<(string Token, Account Account)> SignInAsync(string? username, string? password, IPAddress? client, CancellationToken ct)
    {
        // only presence and length here: a name with a control or any other character outside the
        // username alphabet is an unknown name (401 below), not a bad request that tells it apart
        new Validator()
            .Check(!string.IsNullOrWhiteSpace(username), "username", "用户名不能为空 / username is required.")
            .Check(username is null || username.Length <= 64, "username", "用户名不能超过 64 个字 / username is longer than 64 characters.")
            .Password(password, minimum: false)
            .ThrowIfInvalid();
        var address = SignInFailures.AddressKey(client);
        // a name outside the username alphabet is not even looked up (a store may compare "demo-admin\0"
        // equal to "demo-admin"); it is simply unknown: the same 401 after the same work
        var key = Account.Key(username!);

        for (var attempt = 0; ; attempt++)
        {
            var account = AccountRules.IsUsername(key) ? await accounts.FindAsync(key, ct) : null;
            if (account is null)
            {
                if (unknownUsernames.Refusal(key, address) is { } wait) throw Refused(wait);
                hasher.VerifyHashedPassword(null!, _dummyHash.Value, password!);
                if (unknownUsernames.Failed(key, address) is { } refused) throw Refused(refused);
                throw new UnauthorizedException(BadCredentials);
            }
            var now = time.GetUtcNow();
            // refused before the password is checked: a locked-out address learns nothing from guessing
            if (account.Failures.Refusal(address, now) is { } barred) throw Refused(barred);

            var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password!);
            var ok = result != PasswordVerificationResult.Failed;
            // said only to whoever knows the password: a guess learns nothing of the account's state
            if (ok && !account.Active) throw new ForbiddenException(Disabled);
            if (ok)
            {
                account.SignedIn(address, now);
                if (result == PasswordVerificationResult.SuccessRehashNeeded) account.Rehash(hasher.HashPassword(account, password!));
            }
            else
            {
                account.SignInFailed(address, now);
            }
            try
            {
                await accounts.SaveAsync(account, ct);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                continue; // a parallel sign-in changed the counters; count this one on the fresh state
            }
            if (!ok)
            {
                if (account.Failures.Refusal(address, now) is { } refused) throw Refused(refused);
                throw new UnauthorizedException(BadCredentials);
            }
            var organisation = await organisations.FindAsync(account.OrganisationId, ct)
                ?? throw new InvalidOperationException($"Account {account.Username} belongs to a missing organisation.");
            return (tokens.Issue(account, organisation), account);
        }
    }

    /// <summary>Clears every lock and the slowdown of an account (an admin, after checking with its owner).</summary>
    public async Task UnlockAsync(string username, string admin, CancellationToken ct)
    {
        var key = Account.Key(username);
        await accounts.ChangeAsync(async token => (AccountRules.IsUsername(key) ? await accounts.FindAsync(key, token) : null)
                ?? throw new NotFoundException("账户不存在 / No such account."),
            null, _ => { }, account => account.Unlock(), ct);
        LogUnlocked(key, admin);
    }

    /// <summary>Disables or enables an account (an admin; never their own, so that one admin is always left).</summary>
    public async Task<Account> SetActiveAsync(string username, bool active, string admin, CancellationToken ct)
    {
        var key = Account.Key(username);
        new Validator().Check(active || key != Account.Key(admin), "active", "不能停用自己的账户 / You cannot disable your own account.").ThrowIfInvalid();
        var current = await FindAsync(key, ct);
        var organisation = await organisations.FindAsync(current.OrganisationId, ct)
            ?? throw new InvalidOperationException($"Account {key} belongs to a missing organisation.");
        var changed = await accounts.ChangeAsync(token => FindAsync(key, token), null, _ => { },
            account => account.SetActive(active, organisation, time.GetUtcNow()), ct);
        sessions.Forget(key);
        LogActiveSet(key, active, admin);
        return changed;
    }

    /// <summary>Gives an account a new password chosen by an admin (a person who lost theirs); it also clears the lockouts.</summary>
    public async Task SetPasswordAsync(string username, string? password, string admin, CancellationToken ct)
    {
        new Validator().Password(password, minimum: true).ThrowIfInvalid();
        var key = Account.Key(username);
        await accounts.ChangeAsync(token => FindAsync(key, token), null, _ => { }, account =>
        {
            account.Rehash(hasher.HashPassword(account, password!));
            account.Unlock();
            // whoever held the old password may hold a session too
            account.EndSessions();
        }, ct);
        sessions.Forget(key);
        LogPasswordSet(key, admin);
    }

    private async Task<Account> FindAsync(string key, CancellationToken ct) =>
        (AccountRules.IsUsername(key) ? await accounts.FindAsync(key, ct) : null) ?? throw new NotFoundException("账户不存在 / No such account.");

    /// <summary>
    /// Gives an existing demo account the configured demo password, when it has another. Real
    /// accounts are never touched, even one that happens to have a demo username.
    /// </summary>
    /// <returns>null when there is no such account; else whether it is a demo account (and now has that password).</returns>
    public async Task<bool?> ResetDemoPasswordAsync(string username, string password, CancellationToken ct)
    {
        var current = await accounts.FindAsync(Account.Key(username), ct);
        if (current is null) return null;
        if (!current.IsDemo) return false;
        if (hasher.VerifyHashedPassword(current, current.PasswordHash, password) == PasswordVerificationResult.Success) return true;
        await accounts.ChangeAsync(async token => await accounts.FindAsync(current.StoreId, token) ?? current,
            null, _ => { }, account => account.Rehash(hasher.HashPassword(account, password)), ct);
        return true;
    }

    public async Task<Organisation> CreateOrganisationAsync(string id, string name, string creditCode, OrganisationKind kind, string subMarket, bool isDemo, CancellationToken ct)
    {
        new Validator()
            .Text(id, "id", "机构标识", 64)
            .Check(IsOrganisationId(id), "id",
                "机构标识只能由小写字母、数字和连字符组成（2–64 位）/ An organisation id is 2–64 lower-case letters, digits and hyphens.")
            .Text(name, "name", "机构名称", 100, min: 2)
            .Check(CreditCode.IsValid(creditCode), "creditCode", "统一社会信用代码无效（18 位，含校验位）/ Not a valid unified social credit code.")
            .Check(ReferenceData.IsSubMarket(subMarket), "subMarket", CommonRules.UnknownSubMarket(subMarket))
            .ThrowIfInvalid();
        var organisation = Organisation.Create(id, name, creditCode, kind, subMarket, isDemo, time.GetUtcNow());
        await organisations.InsertAsync(organisation, ct);
        return organisation;
    }

    public async Task<Account> CreateAccountAsync(string username, string displayName, string password, string role, string organisationId, string? email, bool isDemo, CancellationToken ct)
    {
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        new Validator()
            .Check(email is null || ContactFormats.IsEmail(email), "email", "电子邮箱格式不正确 / Not a valid email address.")
            .Check(AccountRules.IsUsername(username), "username", AccountRules.UsernameRule)
            .Text(displayName, "displayName", "姓名", 50)
            // the demo password is published (README, start-up log, sign-in page): its length protects nothing
            .Password(password, minimum: !isDemo)
            .Check(Roles.All.Contains(role), "role", "未知角色 / Unknown role.")
            .ThrowIfInvalid();
        var organisation = await organisations.FindAsync(organisationId, ct)
            ?? throw ValidationFailedException.For("organisationId", "机构不存在 / No such organisation.");
        new Validator().Check(AccountRules.KindFor(role) == organisation.Kind, "role", AccountRules.Misfit(role, organisation.Kind)).ThrowIfInvalid();
        var account = Account.Create(username, displayName, "", role, organisation, email, isDemo, time.GetUtcNow());
        account.Rehash(hasher.HashPassword(account, password));
        await accounts.InsertAsync(account, ct);
        return account;
    }

    private static bool IsOrganisationId(string? id) => id is not null && OrganisationIdPattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial System.Text.RegularExpressions.Regex OrganisationIdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "账户 {Username} 的登录锁定已由管理员 {Admin} 解除 / Sign-in lockouts of {Username} cleared by admin {Admin}")]
    private partial void LogUnlocked(string username, string admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "账户 {Username} 已由管理员 {Admin} 设为启用={Active} / Account {Username} set active={Active} by admin {Admin}")]
    private partial void LogActiveSet(string username, bool active, string admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "账户 {Username} 的密码已由管理员 {Admin} 重设 / Password of {Username} set by admin {Admin}")]
    private partial void LogPasswordSet(string username, string admin);
}
