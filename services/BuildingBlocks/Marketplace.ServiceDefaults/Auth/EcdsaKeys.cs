using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Auth;

/// <summary>ES256 (P-256) keys kept as PEM files; the key id is the RFC 7638 thumbprint.</summary>
public static class EcdsaKeys
{
    /// <summary>Loads the private key at <paramref name="path"/>, creating it (mode 600) on first use.</summary>
    public static ECDsaSecurityKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = created.ExportECPrivateKeyPem();
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                using var writer = new StreamWriter(stream);
                writer.Write(pem);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another process created it first; use theirs
            }
        }
        return FromPem(File.ReadAllText(path));
    }

    public static ECDsaSecurityKey FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        var key = new ECDsaSecurityKey(ecdsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    /// <summary>The public half, as a JWK for a JWKS document.</summary>
    public static JsonWebKey PublicJwk(ECDsaSecurityKey key)
    {
        var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey
        {
            Kty = "EC",
            Crv = "P-256",
            X = Base64UrlEncoder.Encode(parameters.Q.X),
            Y = Base64UrlEncoder.Encode(parameters.Q.Y),
            Kid = key.KeyId,
            Use = "sig",
            Alg = SecurityAlgorithms.EcdsaSha256,
        };
    }

    public static ECDsaSecurityKey PublicOnly(ECDsaSecurityKey key)
    {
        var ecdsa = ECDsa.Create(key.ECDsa.ExportParameters(includePrivateParameters: false));
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.KeyId };
    }
}
