using Marketplace.Contracts;
using Marketplace.Registration.Applications;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Registration.Verification;

/// <summary>What anyone learns: valid, revoked (when and why) or unknown. Tax staff see the contract.</summary>
internal sealed record VerificationResponse
{
    public required string RegistrationNumber { get; init; }
    /// <summary><c>valid</c>, <c>revoked</c> or <c>unknown</c>.</summary>
    public required string Status { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    // tax staff only
    public PartyFacts? Seller { get; init; }
    public PartyFacts? Buyer { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public decimal? ContractAmount { get; init; }
    public decimal? TechnologyTransactionAmount { get; init; }
    public DateTimeOffset? RegisteredAt { get; init; }
    public IReadOnlyList<TaxRelief>? EligibleReliefs { get; init; }
}

internal sealed record TaxCheckList(string RegistrationNumber, IReadOnlyList<TaxCheck> Items);

/// <summary><c>/api/verify</c>: whether a registration number is valid, and the tax offices' checks against it.</summary>
internal static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        var verify = app.MapGroup("/api/verify").WithTags("Verify 税务核验");
        verify.MapGet("/{number}", Verify).AllowAnonymous()
            .WithSummary("核验登记号 / Anyone: valid, revoked or unknown; tax staff also see the contract");
        verify.MapPost("/{number}/checks", RecordCheck).RequireAuthorization(p => p.RequireRole(Roles.Tax))
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415)
            .WithSummary("记录核验 / Record a check against a tax case reference");
        verify.MapGet("/{number}/checks", Checks).RequireAuthorization(p => p.RequireRole(Roles.Tax, Roles.Registrar))
            .ProducesProblems(401, 403, 404)
            .WithSummary("核验记录 / The checks of a registration (tax staff, the point's registrars)");
        return app;
    }

    private static async Task<Ok<VerificationResponse>> Verify(string number, MarketUser? user, RegistrationService service, RulesEngine rules, CancellationToken ct)
    {
        var application = await service.FindByNumberAsync(number, ct);
        if (application is null || application.Status is not (ApplicationStatus.Registered or ApplicationStatus.Revoked))
            return TypedResults.Ok(new VerificationResponse { RegistrationNumber = number, Status = "unknown" });
        var revoked = application.Status == ApplicationStatus.Revoked;
        var basic = new VerificationResponse
        {
            RegistrationNumber = number,
            Status = revoked ? "revoked" : "valid",
            RevokedAt = application.RevokedAt,
            RevocationReason = application.RevocationReason,
        };
        if (user?.Role != Roles.Tax) return TypedResults.Ok(basic);
        return TypedResults.Ok(basic with
        {
            Seller = application.Facts.Seller,
            Buyer = application.Facts.Buyer,
            Type = application.Facts.Type,
            Subtype = application.Facts.Subtype,
            ContractAmount = application.Facts.TotalAmount,
            TechnologyTransactionAmount = application.Decision?.TechnologyTransactionAmount,
            RegisteredAt = application.RegisteredAt,
            // read from the facts by the rules as they are now, not as stored at registration: a registration made
            // before a correction of the relief rules (the 5-year non-exclusive licence) is shown as it qualifies
            EligibleReliefs = rules.TaxReliefs(application.Facts, application.ReceivedOn ?? DateOnly.FromDateTime(application.RegisteredAt!.Value.UtcDateTime)),
        });
    }

    private static async Task<Created<TaxCheck>> RecordCheck(string number, TaxCheckInput? input, MarketUser user, RegistrationService service, CancellationToken ct) =>
        TypedResults.Created($"/api/verify/{number}/checks", await service.RecordTaxCheckAsync(number, input, user, ct));

    private static async Task<Ok<TaxCheckList>> Checks(string number, MarketUser user, RegistrationService service, CancellationToken ct) =>
        TypedResults.Ok(new TaxCheckList(number, await service.TaxChecksAsync(number, user, ct)));
}
