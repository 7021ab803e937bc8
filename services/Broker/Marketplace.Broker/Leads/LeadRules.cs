using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Broker.Leads;

internal sealed record AssignInput(Guid? BrokerId);

/// <summary>Lead list filters as asked for.</summary>
internal sealed record LeadFilter(LeadStatus? Status, string? SubMarket);

internal static class LeadRules
{
    public static LeadFilter Filter(string? status, string? subMarket)
    {
        var statusCode = WireCode.Parse<LeadStatus>(status, "status");
        new Validator().SubMarket(subMarket).ThrowIfInvalid();
        return new LeadFilter(statusCode, subMarket);
    }

    /// <summary>The broker an operator hands the lead to.</summary>
    public static Guid BrokerId(AssignInput input) =>
        input.BrokerId ?? throw ValidationFailedException.For("brokerId", "请选择经纪人 / brokerId is required.");
}
