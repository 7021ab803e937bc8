using System.Text.RegularExpressions;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Broker.Brokers;

internal sealed record BrokerContactInput(string? Phone, string? Email);

internal sealed record BrokerInput
{
    public string? Name { get; init; }
    public BrokerLevel? Level { get; init; }
    public string? CertificateNumber { get; init; }
    /// <summary>Defaults to the caller's sub-market; it cannot change later.</summary>
    public string? SubMarket { get; init; }
    public IReadOnlyList<string>? Fields { get; init; }
    public BrokerContactInput? Contact { get; init; }
    public string? Introduction { get; init; }
}

internal sealed record ReasonInput(string? Reason);

/// <summary>Directory filters as asked for; without a status, the active brokers.</summary>
internal sealed record DirectoryFilter(string? SubMarket, string? Field, BrokerLevel? Level, BrokerStatus Status);

internal static partial class BrokerRules
{
    public const int MaxFields = 10;

    /// <summary>A new profile, and the sub-market it is for: the one asked for, else the caller's.</summary>
    public static (string SubMarket, BrokerProfile Profile) Register(BrokerInput input, string? callersSubMarket)
    {
        var subMarket = input.SubMarket ?? callersSubMarket;
        var v = new Validator().Check(subMarket is not null && ReferenceData.IsSubMarket(subMarket), "subMarket", CommonRules.UnknownSubMarket(subMarket));
        return (subMarket!, Validate(input, v));
    }

    /// <summary>An edited profile; the sub-market cannot change.</summary>
    public static BrokerProfile Edit(BrokerInput input, string subMarket)
    {
        var v = new Validator().Check(input.SubMarket is null || input.SubMarket == subMarket, "subMarket",
            "所属分市场不能修改，请联系运营人员 / subMarket cannot change; ask the operators.");
        return Validate(input, v);
    }

    public static DirectoryFilter Directory(string? subMarket, string? field, string? level, string? status)
    {
        var levelCode = WireCode.Parse<BrokerLevel>(level, "level");
        var statusCode = WireCode.Parse<BrokerStatus>(status, "status") ?? BrokerStatus.Active;
        new Validator().SubMarket(subMarket).TechField(field).ThrowIfInvalid();
        return new DirectoryFilter(subMarket, field, levelCode, statusCode);
    }

    private static BrokerProfile Validate(BrokerInput input, Validator v)
    {
        v.Text(input.Name, "name", "姓名", 50, min: 2)
            .Check(input.Level is not null, "level", "请选择等级（junior 初级 / intermediate 中级 / senior 高级）/ level is required.")
            .Text(input.CertificateNumber, "certificateNumber", "证书编号", 40, min: 4)
            .Text(input.Introduction, "introduction", "简介", 1000, required: false);
        if (!string.IsNullOrWhiteSpace(input.CertificateNumber))
            v.Check(Certificate().IsMatch(input.CertificateNumber.Trim()), "certificateNumber",
                "证书编号只能包含字母、数字和连字符 / certificateNumber is letters, digits and hyphens.");
        var fields = (input.Fields ?? []).Select(f => f?.Trim() ?? "").ToList();
        v.Check(fields.Count >= 1, "fields", "请至少选择一个技术领域 / Choose at least one field.");
        v.Check(fields.Count <= MaxFields, "fields", $"技术领域最多 {MaxFields} 个 / At most {MaxFields} fields.");
        foreach (var field in fields.Where(f => !ReferenceData.IsField(f)))
            v.Add("fields", CommonRules.UnknownField(field));
        v.Check(fields.Distinct().Count() == fields.Count, "fields", "技术领域不能重复 / Fields repeat.");
        var phone = input.Contact?.Phone?.Trim();
        var email = input.Contact?.Email?.Trim();
        v.Check(!string.IsNullOrEmpty(phone) || !string.IsNullOrEmpty(email), "contact", "请至少填写电话或邮箱 / contact needs a phone or an e-mail.");
        if (!string.IsNullOrEmpty(phone))
            v.Check(ContactFormats.IsPhone(phone), "contact.phone", "联系电话格式不正确 / contact.phone is not a phone number.");
        if (!string.IsNullOrEmpty(email))
            v.Check(ContactFormats.IsEmail(email), "contact.email", "邮箱格式不正确 / contact.email is not an e-mail address.");
        v.ThrowIfInvalid();
        return new BrokerProfile
        {
            Name = input.Name!.Trim(),
            Level = input.Level!.Value,
            CertificateNumber = input.CertificateNumber!.Trim().ToUpperInvariant(),
            Fields = fields,
            Contact = new BrokerContact(string.IsNullOrEmpty(phone) ? null : phone, string.IsNullOrEmpty(email) ? null : email),
            Introduction = string.IsNullOrWhiteSpace(input.Introduction) ? null : input.Introduction.Trim(),
        };
    }

    public static string RequiredReason(ReasonInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "原因", 500, min: 2).ThrowIfInvalid();
        return input!.Reason!.Trim();
    }

    public static string? OptionalReason(ReasonInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "原因", 500, required: false).ThrowIfInvalid();
        return string.IsNullOrWhiteSpace(input?.Reason) ? null : input.Reason.Trim();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex Certificate();
}
