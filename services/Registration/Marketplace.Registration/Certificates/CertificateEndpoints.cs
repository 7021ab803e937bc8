using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Registration.Certificates;

/// <summary><c>/api/registrations</c>: the signed certificate of a registration, and the key that verifies it.</summary>
internal static class CertificateEndpoints
{
    public static IEndpointRouteBuilder MapCertificateEndpoints(this IEndpointRouteBuilder app)
    {
        var registrations = app.MapGroup("/api/registrations").WithTags("Certificates 登记证明");
        registrations.MapGet("/{number}/certificate", Certificate).RequireAuthorization()
            .ProducesProblems(401, 403, 404, 409)
            .WithSummary("登记证明（ES256 签名）/ The signed certificate: the applicant, the point's registrars and tax staff");
        registrations.MapGet("/public-key", (CertificateSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file")).AllowAnonymous()
            .WithSummary("登记机关公钥（PEM）/ The registration authority's public key, for openssl");
        registrations.MapGet("/jwks.json", (CertificateSigner signer) => TypedResults.Ok(new { keys = new[] { signer.PublicJwk } })).AllowAnonymous()
            .WithSummary("登记机关公钥（JWKS）/ The public key as a JWK set");
        return app;
    }

    private static async Task<Ok<SignedCertificate>> Certificate(string number, MarketUser user, RegistrationService service, CertificateSigner signer, CancellationToken ct)
    {
        var application = await service.FindByNumberAsync(number, ct);
        if (application is null || application.Status is not (ApplicationStatus.Registered or ApplicationStatus.Revoked))
            throw new NotFoundException($"登记号 {number} 不存在 / No registration {number}.");
        application.EnsureCertificateFor(user);
        if (application.Status == ApplicationStatus.Revoked)
            throw new ConflictException($"该登记已于 {application.RevokedAt:yyyy-MM-dd} 撤销 / The registration was revoked.");
        return TypedResults.Ok(signer.Sign(CertificateBody.Of(application)));
    }
}
