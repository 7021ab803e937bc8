using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Registration.Certificates;

/// <summary>What a registration certificate states (技术合同登记证明).</summary>
internal sealed record CertificateBody
{
    public required string RegistrationNumber { get; init; }
    public required string Title { get; init; }
    public required string Type { get; init; }
    public string? Subtype { get; init; }
    public required string SellerName { get; init; }
    public required string SellerCreditCode { get; init; }
    public required string BuyerName { get; init; }
    public required string BuyerCreditCode { get; init; }
    public required DateOnly SignedOn { get; init; }
    public required DateOnly ValidFrom { get; init; }
    public required DateOnly ValidTo { get; init; }
    /// <summary>成交额 (yuan).</summary>
    public required decimal ContractAmount { get; init; }
    /// <summary>技术交易额 (yuan).</summary>
    public required decimal TechnologyTransactionAmount { get; init; }
    public required string RegistrationPoint { get; init; }
    public required string RuleVersion { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public required string Issuer { get; init; }
    /// <summary>The documents registered with the contract and their SHA-256 (<c>sha256sum</c> of the downloaded file prints it).</summary>
    public required IReadOnlyList<CertifiedDocument> Documents { get; init; }

    /// <summary>What the certificate of a registered application states.</summary>
    public static CertificateBody Of(ContractApplication application)
    {
        var facts = application.Facts;
        return new CertificateBody
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
            Documents = application.RegisteredDocuments.Select(d => new CertifiedDocument(d.Kind, d.Name, d.Size, d.Sha256)).ToList(),
        };
    }
}

/// <summary>A document a certificate names: its kind, name, size in bytes and SHA-256 (lower-case hex).</summary>
internal sealed record CertifiedDocument(string Kind, string Name, long Size, string Sha256);

/// <summary>
/// A certificate as served: <see cref="Document"/> is the exact signed text (UTF-8 JSON), and
/// <see cref="Signature"/> the ES256 signature over it, base64 of the DER (X9.62) form that
/// <c>openssl dgst -sha256 -verify</c> reads.
/// </summary>
internal sealed record SignedCertificate(string Document, string Signature, string Algorithm, string KeyId, CertificateBody Certificate);

/// <summary>The registration authority's ES256 key: signs certificates and publishes its public half.</summary>
internal sealed class CertificateSigner
{
    private readonly ECDsaSecurityKey _key;

    public CertificateSigner(IOptions<RegistrationOptions> options, IConfiguration configuration)
    {
        var path = options.Value.SigningKeyFile
            ?? Path.Combine(configuration["Storage:DataDirectory"] ?? "data", "keys", "registration-signing.pem");
        _key = EcdsaKeys.LoadOrCreate(path);
    }

    public string KeyId => _key.KeyId;

    public string PublicKeyPem => _key.ECDsa.ExportSubjectPublicKeyInfoPem();

    public JsonWebKey PublicJwk => EcdsaKeys.PublicJwk(_key);

    public SignedCertificate Sign(CertificateBody body)
    {
        var document = JsonSerializer.Serialize(body, MarketJson.Wire);
        var signature = _key.ECDsa.SignData(Encoding.UTF8.GetBytes(document), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SignedCertificate(document, Convert.ToBase64String(signature), "ES256", KeyId, body);
    }
}

/// <summary>Loads (or creates) the signing key when the host starts, not on the first certificate.</summary>
internal sealed class SigningKeyAtStart(CertificateSigner signer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = signer.KeyId;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
