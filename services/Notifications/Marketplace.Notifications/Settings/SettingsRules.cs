using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Notifications.Settings;

/// <summary><c>PUT /api/notifications/settings</c>: the fields given change, the others stay.</summary>
internal sealed record NotificationSettingsInput
{
    /// <summary>The address mail goes to; an empty string goes back to the account's address.</summary>
    public string? Email { get; init; }

    /// <summary>Per kind (wire code), whether it also comes by mail.</summary>
    public IReadOnlyDictionary<string, bool>? EmailKinds { get; init; }
}

internal sealed record SettingsChange(string? Email, IReadOnlyDictionary<NotificationKind, bool> Kinds);

internal static class SettingsRules
{
    private static readonly Dictionary<string, NotificationKind> Kinds = Enum.GetValues<NotificationKind>().ToDictionary(WireCode.Of, k => k, StringComparer.Ordinal);

    public static IReadOnlyList<string> KindCodes { get; } = [.. Enum.GetValues<NotificationKind>().Select(WireCode.Of)];

    public static SettingsChange Validate(NotificationSettingsInput? input)
    {
        // a PUT without a body (or with JSON null) says nothing to change: a mistake, not an empty change
        if (input is null)
            throw ValidationFailedException.For("body", "请提交要保存的设置（email、emailKinds）/ The body must hold the settings to save: email and/or emailKinds.");
        var v = new Validator();
        var email = input?.Email?.Trim();
        if (!string.IsNullOrEmpty(email))
        {
            v.Text(email, "email", "邮箱", 254);
            if (v.IsValid)
                v.Check(ContactFormats.IsEmail(email), "email", "邮箱格式不正确，如 name@example.cn / email is not an e-mail address, e.g. name@example.cn.");
        }
        var kinds = new Dictionary<NotificationKind, bool>();
        foreach (var (code, on) in input?.EmailKinds ?? new Dictionary<string, bool>())
        {
            if (Kinds.TryGetValue(code, out var kind)) kinds[kind] = on;
            else
                v.Add("emailKinds", $"未知的通知类型“{Shorten(code)}”，可选：{string.Join(", ", KindCodes)} / Unknown notification kind '{Shorten(code)}'.");
        }
        v.ThrowIfInvalid();
        return new SettingsChange(email, kinds);
    }

    private static string Shorten(string code) => code.Length > 40 ? code[..40] + "…" : code;
}
