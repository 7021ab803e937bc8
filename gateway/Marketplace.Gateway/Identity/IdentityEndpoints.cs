using System.Text.Json.Serialization;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Gateway.Identity;

public sealed record TokenRequest(string? Username, string? Password);

/// <summary>OAuth-style token answer (snake_case, as OAuth clients expect).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record OrganisationView(string Id, string Name, string CreditCode, OrganisationKind Kind, string SubMarket, bool IsDemo);

public sealed record MeResponse(string Username, string DisplayName, string Role, OrganisationView Organisation, bool IsDemo, DateTimeOffset? LastSignInAt);

public sealed record AccountView(string Username, string DisplayName, string Role, string OrganisationId, string? Email, bool IsDemo, bool Locked,
    DateTimeOffset? LastSignInAt, DateTimeOffset CreatedAt)
{
    /// <summary>The organisation's name, for people (null if the organisation is gone).</summary>
    public string? OrganisationName { get; init; }
    public bool Active { get; init; } = true;
}

public sealed record AccountActive(bool? Active);

public sealed record NewPassword(string? Password);

public sealed record NewOrganisation(string? Id, string? Name, string? CreditCode, string? Kind, string? SubMarket);

public sealed record NewAccount(string? Username, string? DisplayName, string? Password, string? Role, string? OrganisationId, string? Email = null);

public sealed record CreatedAccount(string Username, string DisplayName, string Role, string OrganisationId, string? Email);

public static class IdentityEndpoints
{
    public const string SignInRateLimit = "sign-in";

    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth 登录");
        auth.MapPost("/token", Token).AllowAnonymous().RequireRateLimiting(SignInRateLimit)
            .ProducesProblems(400, 401, 413, 415, 429)
            .WithSummary("登录，换取访问令牌 / Sign in: username and password for an ES256 JWT");
        auth.MapGet("/me", Me).RequireAuthorization().ProducesProblems(401, 403, 404)
            .WithSummary("当前用户 / The signed-in account");

        app.MapGet("/.well-known/jwks.json", (TokenIssuer tokens) =>
            TypedResults.Ok(new { keys = new[] { EcdsaKeys.PublicJwk(tokens.SigningKey) } }))
            .AllowAnonymous().WithTags("Auth 登录").WithSummary("令牌验签公钥 / The public keys that verify the market's tokens");
        app.MapGet("/.well-known/openid-configuration", (TokenIssuer tokens, IssuerOrigin issuer) =>
        {
            var origin = issuer.Value;
            return TypedResults.Ok(new Dictionary<string, object>
            {
                ["issuer"] = tokens.Issuer,
                ["jwks_uri"] = origin + "/.well-known/jwks.json",
                ["token_endpoint"] = origin + "/api/auth/token",
                ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
                ["response_types_supported"] = new[] { "token" },
                ["subject_types_supported"] = new[] { "public" },
            });
        }).AllowAnonymous().ExcludeFromDescription();

        var admin = app.MapGroup("/api/admin").WithTags("Admin 系统管理").RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .ProducesProblems(400, 401, 403);
        admin.MapPost("/organisations", CreateOrganisation).ProducesProblems(409, 413, 415).WithSummary("新建机构 / Create an organisation");
        admin.MapPost("/accounts", CreateAccount).ProducesProblems(409, 413, 415).WithSummary("新建账户 / Create an account");
        admin.MapPost("/accounts/{username}/unlock", Unlock).ProducesProblems(404)
            .WithSummary("解除登录锁定 / Clear an account's sign-in lockouts (every address) and its slowdown");
        admin.MapPut("/accounts/{username}/active", SetActive).ProducesProblems(404, 413, 415)
            .WithSummary("停用或启用账户 / Disable or enable an account: a disabled one cannot sign in");
        admin.MapPut("/accounts/{username}/password", SetPassword).ProducesProblems(404, 413, 415)
            .WithSummary("重设密码 / Give an account a new password (clears its lockouts)");
        admin.MapGet("/accounts", ListAccounts).WithSummary("账户列表 / Accounts by username; role= to filter, q= for usernames that start with it");
        admin.MapGet("/organisations", ListOrganisations).WithSummary("机构列表 / Organisations by id");
        return app;
    }

    private static async Task<Ok<TokenResponse>> Token(TokenRequest? request, IdentityService identity, TokenIssuer tokens, HttpContext http, CancellationToken ct)
    {
        // the connection's remote address, as the host's forwarded-headers handling leaves it (nothing read from headers here)
        var (token, _) = await identity.SignInAsync(request?.Username, request?.Password, http.Connection.RemoteIpAddress, ct);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)tokens.Lifetime.TotalSeconds));
    }

    private static async Task<Ok<MeResponse>> Me(MarketUser user, IdentityService identity, CancellationToken ct)
    {
        var account = await identity.Accounts.FindAsync(Account.Key(user.Subject), ct)
            ?? throw new NotFoundException("账户不存在 / The account no longer exists.");
        var organisation = await identity.Organisations.FindAsync(account.OrganisationId, ct)
            ?? throw new NotFoundException("机构不存在 / The organisation no longer exists.");
        return TypedResults.Ok(new MeResponse(account.Username, account.DisplayName, account.Role, View(organisation), account.IsDemo, account.LastSignInAt));
    }

    private static async Task<Created<OrganisationView>> CreateOrganisation(NewOrganisation input, IdentityService identity, CancellationToken ct)
    {
        var kind = WireCode.Parse<OrganisationKind>(input.Kind, "kind")
            ?? throw ValidationFailedException.For("kind", "请选择机构类型 / kind is required.");
        try
        {
            var organisation = await identity.CreateOrganisationAsync(input.Id ?? "", input.Name ?? "", input.CreditCode ?? "", kind, input.SubMarket ?? "", false, ct);
            return TypedResults.Created($"/api/admin/organisations/{organisation.Id}", View(organisation));
        }
        catch (DocumentExistsException)
        {
            throw new ConflictException($"机构标识“{input.Id}”已存在 / An organisation with that id exists.");
        }
    }

    private static async Task<Created<CreatedAccount>> CreateAccount(NewAccount input, IdentityService identity, CancellationToken ct)
    {
        try
        {
            var account = await identity.CreateAccountAsync(input.Username ?? "", input.DisplayName ?? "", input.Password ?? "", input.Role ?? "", input.OrganisationId ?? "", input.Email, false, ct);
            return TypedResults.Created($"/api/admin/accounts/{Uri.EscapeDataString(account.Username)}", new CreatedAccount(account.Username, account.DisplayName, account.Role, account.OrganisationId, account.Email));
        }
        catch (DocumentExistsException)
        {
            throw new ConflictException($"用户名“{input.Username}”已存在 / That username is taken.");
        }
    }

    private static async Task<NoContent> Unlock(string username, IdentityService identity, MarketUser user, CancellationToken ct)
    {
        await identity.UnlockAsync(username, user.Subject, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AccountView>> SetActive(string username, AccountActive input, IdentityService identity, TimeProvider time, MarketUser user,
        CancellationToken ct)
    {
        if (input.Active is not { } active) throw ValidationFailedException.For("active", "请说明启用还是停用 / active (true or false) is required.");
        var account = await identity.SetActiveAsync(username, active, user.Subject, ct);
        var organisation = await identity.Organisations.FindAsync(account.OrganisationId, ct);
        return TypedResults.Ok(View(account, organisation?.Name, time.GetUtcNow()));
    }

    private static async Task<NoContent> SetPassword(string username, NewPassword input, IdentityService identity, MarketUser user, CancellationToken ct)
    {
        await identity.SetPasswordAsync(username, input.Password, user.Subject, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Paged<AccountView>>> ListAccounts(IdentityService identity, TimeProvider time, int? page, int? pageSize, string? role, string? q,
        CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var prefix = string.IsNullOrWhiteSpace(q) ? null : Account.Key(q);
        new Validator()
            .Check(role is null || Roles.All.Contains(role), "role", $"未知的角色“{role}” / Unknown role.")
            .Check(prefix is null || prefix.Length <= 64, "q", "检索词不能超过 64 个字 / q is longer than 64 characters.")
            .Check(prefix is null || role is null, "q", "按用户名检索时不能同时按角色筛选 / Give q or role, not both.")
            .ThrowIfInvalid();
        // usernames are stored folded: those that start with the prefix sort between it and the prefix followed by the last character
        List<FieldFilter> filters = prefix is not null ? [FieldFilter.Gte("username", prefix), FieldFilter.Lt("username", prefix + '\uffff')]
            : role is not null ? [FieldFilter.Eq("role", role)] : [];
        var (items, total) = await identity.Accounts.QueryAsync(new DocumentQuery
        {
            Filters = filters, SortBy = "username", Skip = paging.Skip, Take = paging.PageSize,
        }, ct);
        // a page holds few organisations (up to its size): each is read once by its id
        var names = new Dictionary<string, string>();
        foreach (var id in items.Select(a => a.OrganisationId).Distinct())
            if (await identity.Organisations.FindAsync(id, ct) is { } organisation) names[id] = organisation.Name;
        var now = time.GetUtcNow();
        return TypedResults.Ok(new Paged<AccountView>(items.Select(a => View(a, names.GetValueOrDefault(a.OrganisationId), now)).ToList(),
            total, paging.Page, paging.PageSize));
    }

    private static AccountView View(Account a, string? organisationName, DateTimeOffset now) =>
        new(a.Username, a.DisplayName, a.Role, a.OrganisationId, a.Email, a.IsDemo, a.IsLocked(now), a.LastSignInAt, a.CreatedAt)
        {
            OrganisationName = organisationName, Active = a.Active,
        };

    private static async Task<Ok<Paged<OrganisationView>>> ListOrganisations(IdentityService identity, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var (items, total) = await identity.Organisations.QueryAsync(new DocumentQuery { SortBy = "id", Skip = paging.Skip, Take = paging.PageSize }, ct);
        return TypedResults.Ok(new Paged<OrganisationView>(items.Select(View).ToList(), total, paging.Page, paging.PageSize));
    }

    private static OrganisationView View(Organisation o) => new(o.Id, o.Name, o.CreditCode, o.Kind, o.SubMarket, o.IsDemo);
}
