using System.Globalization;
using System.Text;

namespace Marketplace.ServiceDefaults.Validation;

/// <summary>
/// What user text may hold. Text is read in Unicode normal form C (request bodies are normalised as
/// they are read); it may not hold C0 or C1 control characters — except line breaks and tabs in prose —
/// nor bidirectional controls (U+202E makes "gpj.exe" read "exe.jpg") nor zero-width characters, which
/// make two texts look the same or an empty one look filled. Lengths count what a reader sees: user-
/// perceived characters (grapheme clusters), so "é" written as e + U+0301 is one.
/// </summary>
public static class UserText
{
    /// <summary>A field that may hold this many characters or more is prose: line breaks and tabs are allowed in it.</summary>
    public const int ProseFrom = 500;

    /// <summary>The text in normal form C (null stays null); invalid UTF-16 is left for <see cref="Problem"/> to refuse.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null) return null;
        try
        {
            return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text; // a lone surrogate: Problem() names it
        }
    }

    /// <summary>The number of user-perceived characters, leading and trailing white space left out.</summary>
    public static int VisibleLength(string text) => new StringInfo(text.Trim()).LengthInTextElements;

    /// <summary>Why the text cannot be stored, in Chinese and in English, or null when it can.</summary>
    public static (string Chinese, string English)? Problem(string text, bool prose)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return ("含有无效的字符编码", "holds an invalid character encoding");
            }
            if (prose && c is '\n' or '\r' or '\t') continue;
            if (char.IsControl(c)) return ($"不能含有控制字符 U+{(int)c:X4}", $"must not hold the control character U+{(int)c:X4}");
            if (IsBidiControl(c)) return ($"不能含有文字方向控制符 U+{(int)c:X4}", $"must not hold the bidirectional control U+{(int)c:X4}");
            if (IsInvisible(c)) return ($"不能含有零宽或不可见字符 U+{(int)c:X4}", $"must not hold the invisible character U+{(int)c:X4}");
        }
        return null;
    }

    // U+061C arabic letter mark, U+200E/F marks, U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates
    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    // zero width space, non-joiner, joiner, word joiner, invisible operators, BOM, Mongolian vowel separator, soft hyphen
    private static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or (>= '\u2060' and <= '\u2064') or '\uFEFF' or '\u180E' or '\u00AD';
}
