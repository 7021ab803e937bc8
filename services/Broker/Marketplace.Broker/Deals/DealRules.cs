using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Broker.Deals;

internal sealed record DealInput
{
    public Guid? OfferId { get; init; }
    public Guid? DemandId { get; init; }
    public string? Title { get; init; }
    /// <summary>Defaults to the broker's sub-market.</summary>
    public string? SubMarket { get; init; }
    public string? Field { get; init; }
}

internal sealed record CommissionInput(CommissionKind? Kind, decimal? Percent, decimal? Amount);

internal sealed record StageInput
{
    public DealStage? To { get; init; }
    public string? Note { get; init; }
    /// <summary>With <c>agreed</c>; or with <c>closed</c> for a deal the contract registration moved past agreed before any terms were set.</summary>
    public CommissionInput? Commission { get; init; }
    /// <summary>With <c>closed</c>: the amount the deal was done for; defaults to the registered contract amount.</summary>
    public decimal? Amount { get; init; }
    /// <summary>With <c>lost</c>.</summary>
    public string? Reason { get; init; }
}

internal sealed record NoteInput(string? Text);

/// <summary>The body of <c>POST /api/deals/{id}/contract</c>: the registration number (合同登记编号) of the deal's registered contract.</summary>
internal sealed record ContractLinkInput(string? RegistrationNumber);

/// <summary>A deal a broker opens, checked.</summary>
internal sealed record DealDraft(string Title, string SubMarket, string Field, Guid? OfferId, Guid? DemandId);

/// <summary>A change of stage a broker asks for, checked (whether the deal may make it is the deal's call).</summary>
internal sealed record StageChange(DealStage To, string? Note, CommissionTerms? Commission, decimal? Amount, string? Reason);

/// <summary>Deal list filters as asked for.</summary>
internal sealed record DealFilter(DealStage? Stage, string? SubMarket);

internal static class DealRules
{
    public static DealDraft Validate(DealInput input, string brokerSubMarket)
    {
        var subMarket = input.SubMarket ?? brokerSubMarket;
        new Validator()
            .Text(input.Title, "title", "交易名称", 200, min: 2)
            .SubMarket(subMarket)
            .Check(input.Field is not null, "field", "请填写技术领域 / field is required.")
            .TechField(input.Field)
            .Check(input.OfferId != Guid.Empty && input.DemandId != Guid.Empty, "offerId", "挂牌编号无效 / Not a listing id.")
            .ThrowIfInvalid();
        return new DealDraft(input.Title!.Trim(), subMarket, input.Field!, input.OfferId, input.DemandId);
    }

    public static StageChange Validate(StageInput input)
    {
        var v = new Validator()
            .Check(input.To is not null, "to", "请填写目标阶段 / to is required.")
            .Text(input.Note, "note", "说明", 1000, required: false);
        CommissionTerms? commission = null;
        if (input.Commission is { } c)
        {
            v.Check(c.Kind is not null, "commission.kind", "请选择佣金方式：percentage（比例）或 fixed（固定金额）/ commission.kind is percentage or fixed.");
            if (c.Kind == CommissionKind.Percentage)
                v.Check(c.Percent is > 0 and <= 100 && decimal.Round(c.Percent.Value, 2) == c.Percent, "commission.percent",
                    "佣金比例为 0–100（百分比，最多两位小数）/ commission.percent is 0–100 with at most two decimals.");
            if (c.Kind == CommissionKind.Fixed)
                v.Check(c.Amount is not null, "commission.amount", "请填写金额 / An amount is required.")
                    .Money(c.Amount, "commission.amount", zeroAllowed: false);
            if (v.IsValid) commission = new CommissionTerms(c.Kind!.Value, c.Kind == CommissionKind.Percentage ? c.Percent : null, c.Kind == CommissionKind.Fixed ? c.Amount : null);
        }
        if (input.To is not (DealStage.Agreed or DealStage.Closed))
            v.Check(input.Commission is null, "commission", "佣金在达成一致（agreed）时约定，或在结束（closed）时补填 / commission goes with agreed, or with closed when it was never agreed.");
        if (input.To != DealStage.Closed) v.Check(input.Amount is null, "amount", "成交金额只在结束（closed）时填写 / amount goes with closed.");
        v.Money(input.Amount, "amount", zeroAllowed: false);
        if (input.To == DealStage.Lost) v.Text(input.Reason, "reason", "未成交原因", 500, min: 2);
        else v.Check(input.Reason is null, "reason", "原因只在未成交（lost）时填写 / reason goes with lost.");
        v.ThrowIfInvalid();
        return new StageChange(input.To!.Value, string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), commission, input.Amount, input.Reason?.Trim());
    }

    public static string Note(NoteInput? input)
    {
        new Validator().Text(input?.Text, "text", "跟进记录", 2000).ThrowIfInvalid();
        return input!.Text!.Trim();
    }

    /// <summary>A registration number as the registration service hands them out: 16 digits (year, province, city, point, sequence).</summary>
    public static string RegistrationNumber(ContractLinkInput? input)
    {
        var number = input?.RegistrationNumber?.Trim();
        var v = new Validator().Text(number, "registrationNumber", "合同登记号", RegistrationNumberLength);
        if (v.IsValid)
            v.Check(number!.Length == RegistrationNumberLength && number.All(char.IsAsciiDigit), "registrationNumber",
                $"合同登记号为 {RegistrationNumberLength} 位数字 / registrationNumber is {RegistrationNumberLength} digits.");
        v.ThrowIfInvalid();
        return number!;
    }

    public const int RegistrationNumberLength = 16;

    public static DealFilter Filter(string? stage, string? subMarket)
    {
        var stageCode = WireCode.Parse<DealStage>(stage, "stage");
        new Validator().SubMarket(subMarket).ThrowIfInvalid();
        return new DealFilter(stageCode, subMarket);
    }
}
