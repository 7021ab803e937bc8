using Marketplace.ServiceDefaults.Errors;
using Microsoft.Extensions.Primitives;

namespace Marketplace.ServiceDefaults.Http;

/// <summary>
/// An <c>If-Match</c> precondition as RFC 9110 §13.1.1 defines it: <c>*</c> (any current version) or a
/// list of entity tags, of which one must match. Writes compare strongly: a weak tag (<c>W/"3"</c>)
/// matches nothing, and neither does a well-formed tag this market never issued (<c>"abc"</c>): both
/// are a 412, as a mismatch. Only a header that is not an entity-tag list is a 400.
/// </summary>
public sealed class IfMatch
{
    private readonly long[] _versions;
    private readonly string _text;

    private IfMatch(bool any, long[] versions, string text) => (IsAny, _versions, _text) = (any, versions, text);

    /// <summary><c>If-Match: *</c>: the resource must exist, whatever its version.</summary>
    public static IfMatch Any { get; } = new(true, [], "*");

    /// <summary>The precondition that the resource is at exactly this version (the ETag <c>"version"</c>).</summary>
    public static IfMatch Version(long version) => new(false, [version], ETags.For(version));

    public static implicit operator IfMatch(long version) => Version(version);

    public bool IsAny { get; }

    /// <summary>Whether a resource at <paramref name="version"/> satisfies the precondition.</summary>
    public bool Matches(long version) => IsAny || _versions.Contains(version);

    /// <summary>The header as it was sent, for messages.</summary>
    public override string ToString() => _text;

    /// <summary>
    /// Parses every <c>If-Match</c> field line of a request (lines combine into one list); null when
    /// there is none.
    /// </summary>
    /// <exception cref="ValidationFailedException">the header is not <c>*</c> or a list of entity tags.</exception>
    public static IfMatch? Parse(StringValues lines)
    {
        var text = string.Join(", ", lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim()));
        if (text.Length == 0) return null;
        if (text == "*") return Any;

        var versions = new List<long>();
        var i = 0;
        var tags = 0;
        while (true)
        {
            // #rule: elements separated by commas and optional whitespace; empty elements are allowed
            while (i < text.Length && text[i] is ',' or ' ' or '\t') i++;
            if (i == text.Length) break;
            var weak = text.AsSpan(i).StartsWith("W/", StringComparison.Ordinal);
            if (weak) i += 2;
            if (i == text.Length || text[i] != '"') throw Malformed();
            var start = ++i;
            while (i < text.Length && IsETagChar(text[i])) i++;
            if (i == text.Length || text[i] != '"') throw Malformed();
            var opaque = text[start..i++];
            tags++;
            if (!weak && IsVersion(opaque, out var version)) versions.Add(version);
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            if (i < text.Length && text[i] != ',') throw Malformed();
        }
        if (tags == 0) throw Malformed();
        return new IfMatch(false, [.. versions], text);
    }

    /// <summary>etagc = %x21 / %x23-7E / obs-text: visible characters except the double quote.</summary>
    private static bool IsETagChar(char c) => c == 0x21 || c is >= (char)0x23 and <= (char)0x7E || c is >= (char)0x80 and <= (char)0xFF;

    private static bool IsVersion(string opaque, out long version) =>
        long.TryParse(opaque, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version)
        && version > 0 && opaque == version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ValidationFailedException Malformed() => ValidationFailedException.For("If-Match",
        "If-Match 必须是 * 或实体标签列表，如 \"3\" / If-Match must be * or a list of entity tags, e.g. \"3\".");
}
