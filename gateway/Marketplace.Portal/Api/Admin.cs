namespace Marketplace.Portal.Api;

// What the admin page reads of the gateway (GET /api/admin/accounts|organisations) and sends it,
// and the OpenAPI documents the /docs page lists.

/// <summary>The gateway's kinds of organisation (same wire codes).</summary>
public enum OrganisationKind { University, Enterprise, BrokerAgency, MarketOperator, RegistrationPoint, TaxOffice, Platform }

public sealed record AccountView(string Username, string DisplayName, string Role, string OrganisationId, bool IsDemo, bool Locked, DateTimeOffset? LastSignInAt)
{
    public string? OrganisationName { get; init; }
    public bool Active { get; init; } = true;
}

public sealed record AccountActive(bool Active);

public sealed record NewPassword(string Password);

public sealed record OrganisationView(string Id, string Name, string CreditCode, OrganisationKind Kind, string SubMarket, bool IsDemo);

public sealed record NewOrganisation(string Id, string Name, string CreditCode, OrganisationKind Kind, string SubMarket);

public sealed record NewAccount(string Username, string DisplayName, string Password, string Role, string OrganisationId);

/// <summary>The answer to <c>POST /api/matching/rebuild</c>: how many listings the index knew when it began.</summary>
public sealed record RebuildStarted(int Known);

public sealed record OpenApiInfo(string? Title);

public sealed record OpenApiOperation(string? Summary, IReadOnlyList<string>? Tags);

/// <summary>One path of an OpenAPI document: its operations by method.</summary>
public sealed record OpenApiPath
{
    public OpenApiOperation? Get { get; init; }
    public OpenApiOperation? Put { get; init; }
    public OpenApiOperation? Post { get; init; }
    public OpenApiOperation? Delete { get; init; }
    public OpenApiOperation? Patch { get; init; }

    public IEnumerable<(string Method, OpenApiOperation Operation)> Operations() =>
        new[] { ("GET", Get), ("PUT", Put), ("POST", Post), ("DELETE", Delete), ("PATCH", Patch) }
            .Where(o => o.Item2 is not null).Select(o => (o.Item1, o.Item2!));
}

public sealed record OpenApiDocument(OpenApiInfo? Info, IReadOnlyDictionary<string, OpenApiPath>? Paths);
