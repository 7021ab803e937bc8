using Marketplace.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Passwords hashed and checked in Unicode normal form C (NIST SP 800-63B §5.1.1.2 asks for a
/// normalisation), so "é" typed as one character or as e + accent is one password, whether it came
/// as JSON (read in NFC) or from the portal's form.
/// </summary>
internal sealed class NormalizingPasswordHasher : IPasswordHasher<Account>
{
    private readonly PasswordHasher<Account> _inner = new();

    public string HashPassword(Account user, string password) => _inner.HashPassword(user, UserText.Normalize(password)!);

    public PasswordVerificationResult VerifyHashedPassword(Account user, string hashedPassword, string providedPassword) =>
        _inner.VerifyHashedPassword(user, hashedPassword, UserText.Normalize(providedPassword)!);
}
