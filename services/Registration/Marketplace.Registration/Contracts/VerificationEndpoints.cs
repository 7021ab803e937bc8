using Marketplace.Contracts;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Registration.Contracts;

/// <summary>What anyone learns: valid, revoked (when and why) or unknown. Tax staff see the contract.</summary>
public sealed record VerificationResponse
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

public sealed record TaxCheckInput(string? CaseReference, string? Note);

public sealed record TaxCheckList(string RegistrationNumber, IReadOnlyList<TaxCheck> Items);

public static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        var verify = app.MapGroup("/api/verify").WithTags("Verify 税务核验");
        verify.MapGet("/{number}", Verify).AllowAnonymous()
            .WithSummary("核验登记号 / Anyone: valid, revoked or unknown; tax staff also see the contract");
        verify.MapPost("/{number}/checks", RecordCheck).RequireAuthorization(p => p.RequireRole(Roles.Tax))
            .WithSummary("记录核验 / Record a check against a tax case reference");
        verify.MapGet("/{number}/checks", Checks).RequireAuthorization(p => p.RequireRole(Roles.Tax, Roles.Registrar))
            .WithSummary("核验记录 / The checks of a registration (tax staff, the point's registrars)");

        var registrations = app.MapGroup("/api/registrations").WithTags("Certificates 登记证明");
        registrations.MapGet("/{number}/certificate", Certificate).RequireAuthorization()
            .WithSummary("登记证明（ES256 签名）/ The signed certificate: the applicant, the point's registrars and tax staff");
        registrations.MapGet("/public-key", (CertificateSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file")).AllowAnonymous()
            .WithSummary("登记机关公钥（PEM）/ The registration authority's public key, for openssl");
        registrations.MapGet("/jwks.json", (CertificateSigner signer) => TypedResults.Ok(new { keys = new[] { signer.PublicJwk } })).AllowAnonymous()
            .WithSummary("登记机关公钥（JWKS）/ The public key as a JWK set");
        return app;
    }

    private static async Task<ContractApplication?> FindAsync(RegistrationService service, string number, CancellationToken ct)
    {
        if (number.Length != 16 || !number.All(char.IsAsciiDigit)) return null;
        var (items, _) = await service.Applications.QueryAsync(new DocumentQuery { Filters = [FieldFilter.Eq("registrationNumber", number)], Take = 1 }, ct);
        return items.FirstOrDefault();
    }

    private static async Task<Ok<VerificationResponse>> Verify(string number, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.From(http.User);
        var application = await FindAsync(service, number, ct);
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
            EligibleReliefs = application.Decision?.TaxReliefs,
        });
    }

    private static async Task<Created<TaxCheck>> RecordCheck(string number, TaxCheckInput? input, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await FindAsync(service, number, ct)
            ?? throw new NotFoundException($"登记号 {number} 不存在 / No registration {number}.");
        TaxCheck? check = null;
        await service.ChangeAsync(application.Id, null, _ => { }, a =>
        {
            new Validator()
                .Text(input?.CaseReference, "caseReference", "税务案件编号", 64, min: 2)
                .Text(input?.Note, "note", "说明", 1000, required: false)
                .ThrowIfInvalid();
            check = a.RecordTaxCheck(user, input!.CaseReference!.Trim(), string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), NewId.NextGuid(), service.Now);
        }, ct);
        return TypedResults.Created($"/api/verify/{number}/checks", check!);
    }

    private static async Task<Ok<TaxCheckList>> Checks(string number, HttpContext http, RegistrationService service, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await FindAsync(service, number, ct)
            ?? throw new NotFoundException($"登记号 {number} 不存在 / No registration {number}.");
        if (user.Role == Roles.Registrar) ContractEndpoints.EnsureRegistrar(application, user);
        return TypedResults.Ok(new TaxCheckList(number, application.TaxChecks));
    }

    private static async Task<Ok<SignedCertificate>> Certificate(string number, HttpContext http, RegistrationService service, CertificateSigner signer, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var application = await FindAsync(service, number, ct);
        if (application is null || application.Status is not (ApplicationStatus.Registered or ApplicationStatus.Revoked))
            throw new NotFoundException($"登记号 {number} 不存在 / No registration {number}.");
        if (!application.IsOwnedBy(user) && !ContractEndpoints.IsRegistrarOf(user, application) && user.Role != Roles.Tax)
            throw new ForbiddenException("登记证明仅申请单位、登记点和税务人员可取 / Only the applicant, the point's registrars and tax staff get the certificate.");
        if (application.Status == ApplicationStatus.Revoked)
            throw new ConflictException($"该登记已于 {application.RevokedAt:yyyy-MM-dd} 撤销 / The registration was revoked.");
        var facts = application.Facts;
        return TypedResults.Ok(signer.Sign(new CertificateBody
        {
            RegistrationNumber = application.RegistrationNumber!,
            Title = facts.Title!,
            Type = WireCode.Of(facts.Type!.Value),
            Subtype = facts.Subtype is { } s ? WireCode.Of(s) : null,
            SellerName = facts.Seller!.Name!,
            SellerCreditCode = facts.Seller.CreditCode!,
            BuyerName = facts.Buyer!.Name!,
            BuyerCreditCode = facts.Buyer.CreditCode!,
            SignedOn = facts.SignedOn!.Value,
            ValidFrom = facts.ValidFrom!.Value,
            ValidTo = facts.ValidTo!.Value,
            ContractAmount = facts.TotalAmount!.Value,
            TechnologyTransactionAmount = application.Decision!.TechnologyTransactionAmount!.Value,
            RegistrationPoint = application.RegistrationPoint,
            RuleVersion = application.Decision.RuleVersion,
            RegisteredAt = application.RegisteredAt!.Value,
            Issuer = $"{ReferenceData.SubMarkets.First(m => m.Code == application.RegistrationPoint).Name}技术合同登记点",
        }));
    }
}
