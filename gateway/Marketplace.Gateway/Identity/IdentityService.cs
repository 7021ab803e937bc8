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
    TimeProvider time)
{
    private const string BadCredentials = "用户名或密码错误 / Wrong username or password.";

    // Verifying against this keeps unknown usernames as slow as known ones.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    private static TooManyRequestsException Locked(TimeSpan retryAfter) =>
        new("连续登录失败次数过多，账户已临时锁定，请稍后再试 / Too many failed sign-ins; the account is locked for a while.", retryAfter);

    public AggregateStore<Account> Accounts => accounts;
    public AggregateStore<Organisation> Organisations => organisations;

    public async Task<(string Token, Account Account)> SignInAsync(string? username, string? password, CancellationToken ct)
    {
        new Validator()
            .Text(username, "username", "用户名", 64)
            .Text(password, "password", "密码", 128)
            .ThrowIfInvalid();

        for (var attempt = 0; ; attempt++)
        {
            var account = await accounts.FindAsync(Account.Key(username!), ct);
            if (account is null)
            {
                var key = Account.Key(username!);
                if (unknownUsernames.LockedFor(key) is { } wait) throw Locked(wait);
                hasher.VerifyHashedPassword(null!, _dummyHash.Value, password!);
                if (unknownUsernames.Failed(key) is { } locked) throw Locked(locked);
                throw new UnauthorizedException(BadCredentials);
            }
            var now = time.GetUtcNow();
            if (account.IsLocked(now)) throw Locked(account.LockedUntil!.Value - now);

            var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password!);
            var ok = result != PasswordVerificationResult.Failed;
            if (ok)
            {
                account.SignedIn(now);
                if (result == PasswordVerificationResult.SuccessRehashNeeded) account.Rehash(hasher.HashPassword(account, password!));
            }
            else
            {
                account.SignInFailed(now);
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
                if (account.IsLocked(now)) throw Locked(account.LockedUntil!.Value - now);
                throw new UnauthorizedException(BadCredentials);
            }
            var organisation = await organisations.FindAsync(account.OrganisationId, ct)
                ?? throw new InvalidOperationException($"Account {account.Username} belongs to a missing organisation.");
            return (tokens.Issue(account, organisation), account);
        }
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

    public async Task<Account> CreateAccountAsync(string username, string displayName, string password, string role, string organisationId, bool isDemo, CancellationToken ct)
    {
        new Validator()
            .Text(username, "username", "用户名", 64, min: 3)
            .Text(displayName, "displayName", "姓名", 50)
            .Check(password.Length >= 8, "password", "密码至少 8 位 / The password needs at least 8 characters.")
            .Check(Roles.All.Contains(role), "role", "未知角色 / Unknown role.")
            .ThrowIfInvalid();
        _ = await organisations.FindAsync(organisationId, ct)
            ?? throw ValidationFailedException.For("organisationId", "机构不存在 / No such organisation.");
        var account = Account.Create(username, displayName, "", role, organisationId, isDemo, time.GetUtcNow());
        account.Rehash(hasher.HashPassword(account, password));
        await accounts.InsertAsync(account, ct);
        return account;
    }

    private static bool IsOrganisationId(string? id) => id is not null && OrganisationIdPattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial System.Text.RegularExpressions.Regex OrganisationIdPattern();
}
