using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Listing.Interests;

/// <summary>The body of <c>POST /api/listings/{id}/interests</c>.</summary>
internal sealed record InterestInput
{
    public string? Message { get; init; }
    public TransferMode? Mode { get; init; }
    public decimal? Budget { get; init; }
    public bool? WithoutBroker { get; init; }
}

/// <summary>The body of <c>POST /api/interests/{id}/accept</c> (optional).</summary>
internal sealed record AcceptInput
{
    /// <summary>The owner's choice to go on without a broker; the deal has none only when the sender chose so too.</summary>
    public bool? WithoutBroker { get; init; }
}

/// <summary>The body of <c>POST /api/interests/{id}/decline</c>.</summary>
internal sealed record DeclineInput
{
    public string? Reason { get; init; }
}

/// <summary>The body of <c>POST /api/interests/{id}/messages</c>.</summary>
internal sealed record MessageInput
{
    public string? Text { get; init; }
}

/// <summary>Which interests a list shows: those my organisation sent, or those it received.</summary>
internal enum InterestBox { Sent, Received }

/// <summary>The rules for what a user writes on an interest: lengths, user text, money.</summary>
internal static class InterestRules
{
    public const int MessageMax = 2000, ReasonMax = 500, TextMax = 2000;

    public static InterestTerms Terms(InterestInput? input)
    {
        new Validator()
            .Text(input?.Message, "message", "对接说明", MessageMax, min: 2)
            .Money(input?.Budget, "budget")
            .ThrowIfInvalid();
        return new InterestTerms(input!.Message!.Trim(), input.Mode, input.Budget, input.WithoutBroker == true);
    }

    public static string Reason(DeclineInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "拒绝理由", ReasonMax, min: 2).ThrowIfInvalid();
        return input!.Reason!.Trim();
    }

    public static string Text(MessageInput? input)
    {
        new Validator().Text(input?.Text, "text", "留言", TextMax).ThrowIfInvalid();
        return input!.Text!.Trim();
    }

    /// <summary>The box of a list is required: <c>sent</c> or <c>received</c>.</summary>
    public static InterestBox Box(string? box) =>
        WireCode.Parse<InterestBox>(box, "box")
        ?? throw ValidationFailedException.For("box", "请指定 box=sent（本单位发出的）或 box=received（本单位收到的）/ box is required: sent or received.");

    public static InterestStatus? Status(string? status) => WireCode.Parse<InterestStatus>(status, "status");

    public static string? SubMarket(string? subMarket)
    {
        new Validator().SubMarket(subMarket).ThrowIfInvalid();
        return subMarket;
    }
}
