using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.ServiceDefaults.Errors;

/// <summary>The few ways a request can be refused; one handler maps each to ProblemDetails.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>400: the input is wrong; <see cref="Errors"/> names each field and what is wrong with it.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("请求参数有误 / One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string error) => new(new Dictionary<string, string[]> { [field] = [error] });
}

/// <summary>404</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>401: this needs a signed-in user.</summary>
public sealed class UnauthorizedException(string message = "请先登录 / Sign in first: this needs a bearer token.")
    : DomainException(message);

/// <summary>429: slow down; <see cref="RetryAfter"/> says for how long.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : DomainException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>403: signed in, but this is not theirs to see or do.</summary>
public sealed class ForbiddenException(string message) : DomainException(message);

/// <summary>409: the request conflicts with the resource's current state.</summary>
public sealed class ConflictException(string message) : DomainException(message);

/// <summary>412: the If-Match version is stale.</summary>
public sealed class PreconditionFailedException(string message) : DomainException(message);

/// <summary>428: an update came without If-Match.</summary>
public sealed class PreconditionRequiredException(string message) : DomainException(message);

/// <summary>422: the Idempotency-Key was used before for a different request.</summary>
public sealed class IdempotencyKeyReusedException(string message) : DomainException(message);

/// <summary>Collects field errors, then throws them all at once.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, string error)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(error);
        return this;
    }

    public Validator Check(bool condition, string field, string error) => condition ? this : Add(field, error);

    /// <summary>
    /// User text: required unless told otherwise, <paramref name="min"/>–<paramref name="max"/> visible
    /// characters, and only what <see cref="UserText"/> lets a text hold (line breaks and tabs only in
    /// prose, fields of <see cref="UserText.ProseFrom"/> characters or more).
    /// </summary>
    public Validator Text(string? value, string field, string label, int max, bool required = true, int min = 1)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"{label}不能为空 / {field} is required.");
            return this;
        }
        if (UserText.Problem(value, prose: max >= UserText.ProseFrom) is { } problem)
            return Add(field, $"{label}{problem.Chinese} / {field} {problem.English}.");
        var length = UserText.VisibleLength(value);
        if (length < min) Add(field, $"{label}至少 {min} 个字 / {field} needs at least {min} characters.");
        if (length > max) Add(field, $"{label}不能超过 {max} 个字 / {field} is longer than {max} characters.");
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ValidationFailedException(_errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }
}
