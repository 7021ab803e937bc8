using System.Text.RegularExpressions;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Listing.Listings;

/// <summary>The body of <c>POST /api/listings</c> and <c>PUT /api/listings/{id}</c>.</summary>
internal sealed record ListingInput
{
    public ListingKind? Kind { get; init; }
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public string? Description { get; init; }
    public string? Field { get; init; }
    public IReadOnlyList<string>? Keywords { get; init; }
    public string? SubMarket { get; init; }
    public int? Maturity { get; init; }
    public IReadOnlyList<TransferMode>? TransferModes { get; init; }
    public MoneyInput? Price { get; init; }
    public IReadOnlyList<IpItemInput>? IpItems { get; init; }
    public string? HolderOrganisation { get; init; }
    public MoneyInput? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public IReadOnlyList<TransferMode>? CooperationModes { get; init; }
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }
    public Contact? Contact { get; init; }
}

internal sealed record MoneyInput
{
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public bool Negotiable { get; init; }
}

internal sealed record IpItemInput
{
    public IpType? Type { get; init; }
    public string? Number { get; init; }
    public string? Title { get; init; }
}

internal sealed record ProposalInput
{
    public string? Summary { get; init; }
    public string? Approach { get; init; }
    public decimal? QuotedAmount { get; init; }
    public Contact? Contact { get; init; }
}

internal sealed record AwardInput
{
    public Guid? ProposalId { get; init; }
    public decimal? Amount { get; init; }
    public string? Note { get; init; }
}

internal sealed record ReasonInput
{
    public string? Reason { get; init; }
}

/// <summary>The query of <c>GET /api/listings</c>, its codes checked.</summary>
internal sealed record ListingFilter(bool Mine, ListingStatus? Status, ListingKind? Kind, string? SubMarket, string? Field);

/// <summary>A new listing as its poster described it, checked.</summary>
internal sealed record NewListing(ListingKind Kind, string SubMarket, ListingContent Content);

/// <summary>The listing rules for input: lengths, codes, money, dates, IP numbers.</summary>
internal static partial class ListingRules
{
    /// <summary>A new listing; its sub-market is the poster's own unless it names another.</summary>
    public static NewListing New(ListingInput input, MarketUser owner, DateTimeOffset now)
    {
        var v = new Validator();
        var content = Content(v, input, now, owner.OrganisationName);
        var subMarket = input.SubMarket ?? owner.SubMarket;
        if (subMarket is null) v.Add("subMarket", "请选择分市场 / subMarket is required.");
        else v.SubMarket(subMarket);
        v.ThrowIfInvalid();
        return new NewListing(input.Kind!.Value, subMarket!, content!);
    }

    /// <summary>The new content of an existing listing: its kind and sub-market stay as they are.</summary>
    public static ListingContent Edited(ListingInput input, Listing listing, DateTimeOffset now)
    {
        var v = new Validator();
        var content = Content(v, input with { Kind = listing.Kind }, now, listing.OwnerOrgName);
        v.Check(input.Kind is null || input.Kind == listing.Kind, "kind", "类型不能修改 / kind cannot change; create a new listing instead.");
        v.Check(input.SubMarket is null || input.SubMarket == listing.SubMarket, "subMarket", "所属分市场不能修改 / subMarket cannot change.");
        v.ThrowIfInvalid();
        return content!;
    }

    /// <summary>The codes of a list query: an unknown status, kind, sub-market or field is a 400.</summary>
    public static ListingFilter Filter(bool? mine, string? status, string? kind, string? subMarket, string? field)
    {
        var statusCode = WireCode.Parse<ListingStatus>(status, "status");
        var kindCode = WireCode.Parse<ListingKind>(kind, "kind");
        new Validator().SubMarket(subMarket).TechField(field).ThrowIfInvalid();
        return new ListingFilter(mine == true, statusCode, kindCode, subMarket, field);
    }

    /// <returns>the content, or null when <paramref name="v"/> holds errors.</returns>
    private static ListingContent? Content(Validator v, ListingInput input, DateTimeOffset now, string? defaultHolder)
    {
        v.Check(input.Kind is not null, "kind", "请选择类型 offer/demand/challenge / kind is required (offer, demand or challenge).");
        v.Text(input.Title, "title", "标题", ListingLimits.TitleMax, min: ListingLimits.TitleMin);
        v.Text(input.Summary, "summary", "简介", ListingLimits.SummaryMax, min: ListingLimits.SummaryMin);
        v.Text(input.Description, "description", input.Kind == ListingKind.Offer ? "详细介绍" : "需求描述", ListingLimits.DescriptionMax, min: ListingLimits.DescriptionMin);
        if (string.IsNullOrWhiteSpace(input.Field)) v.Add("field", "请选择技术领域 / field is required.");
        else v.TechField(input.Field);
        var keywords = (input.Keywords ?? []).Select(k => k?.Trim() ?? "").ToList();
        v.Check(keywords.Count is >= 1 and <= ListingLimits.KeywordsMax, "keywords", $"关键词需 1–{ListingLimits.KeywordsMax} 个 / Give 1–{ListingLimits.KeywordsMax} keywords.");
        for (var i = 0; i < keywords.Count; i++)
            v.Text(keywords[i], $"keywords[{i}]", "关键词", ListingLimits.KeywordMax);
        v.Check(keywords.Distinct(StringComparer.OrdinalIgnoreCase).Count() == keywords.Count, "keywords", "关键词不能重复 / Keywords repeat.");
        Phone(v, input.Contact);

        Money? price = null, budget = null;
        var ipItems = new List<IpItemSnapshot>();
        switch (input.Kind)
        {
            case ListingKind.Offer:
                v.Check(input.Maturity is >= 1 and <= 9, "maturity", "技术成熟度为 1–9 级（TRL）/ maturity is a TRL from 1 to 9.");
                v.Check(input.TransferModes is { Count: > 0 }, "transferModes", "请至少选择一种转化方式 / Choose at least one transfer mode.");
                v.Check(input.TransferModes is null || input.TransferModes.Distinct().Count() == input.TransferModes.Count, "transferModes", "转化方式重复 / transferModes repeat.");
                // 面议: an offer may leave its price out; a demand must state its budget or choose 面议
                price = Range(v, input.Price, "price", "价格", required: false) ?? new Money { Negotiable = true };
                ipItems = IpItems(v, input.IpItems);
                v.Check(input.Budget is null && input.Deadline is null && input.Bounty is null && input.ProposalDeadline is null,
                    "kind", "成果不填预算、截止日期或榜额 / An offer has no budget, deadline or bounty.");
                v.Text(input.HolderOrganisation, "holderOrganisation", "成果持有单位", 100, required: false);
                break;
            case ListingKind.Demand:
            case ListingKind.Challenge:
                budget = Range(v, input.Budget, "budget", "预算", required: true);
                v.Check(input.Deadline is not null, "deadline", "请填写需求截止日期 / deadline is required.");
                v.Check(input.Deadline is null || input.Deadline > now, "deadline", "截止日期须在未来 / deadline must be in the future.");
                v.Check(input.Deadline is null || input.Deadline < now.AddYears(5), "deadline", "截止日期不能超过 5 年 / deadline is more than 5 years away.");
                v.Check(input.CooperationModes is null || input.CooperationModes.Distinct().Count() == input.CooperationModes.Count, "cooperationModes", "合作方式重复 / cooperationModes repeat.");
                v.Check(input.Maturity is null && input.Price is null && input.IpItems is not { Count: > 0 } && input.TransferModes is not { Count: > 0 },
                    "kind", "需求不填成熟度、价格、知识产权或转化方式 / A demand has no maturity, price, IP items or transfer modes.");
                if (input.Kind == ListingKind.Challenge)
                {
                    v.Check(input.Bounty is not null, "bounty", "揭榜挂帅须填写榜额（元）/ A challenge needs a bounty in yuan.");
                    v.Money(input.Bounty, "bounty", zeroAllowed: false);
                    v.Check(input.ProposalDeadline is not null, "proposalDeadline", "请填写揭榜截止时间 / proposalDeadline is required.");
                    v.Check(input.ProposalDeadline is null || input.ProposalDeadline > now, "proposalDeadline", "揭榜截止时间须在未来 / proposalDeadline must be in the future.");
                    v.Check(input.ProposalDeadline is null || input.Deadline is null || input.ProposalDeadline <= input.Deadline,
                        "proposalDeadline", "揭榜截止时间不能晚于需求截止日期 / proposalDeadline must not be after deadline.");
                }
                else
                {
                    v.Check(input.Bounty is null && input.ProposalDeadline is null, "bounty", "只有揭榜挂帅有榜额 / Only a challenge has a bounty.");
                }
                break;
        }
        if (!v.IsValid) return null;

        var isOffer = input.Kind == ListingKind.Offer;
        return new ListingContent
        {
            Title = input.Title!.Trim(),
            Summary = input.Summary!.Trim(),
            Description = input.Description!.Trim(),
            Field = input.Field!,
            Keywords = keywords,
            Maturity = input.Maturity,
            TransferModes = isOffer ? input.TransferModes ?? [] : [],
            Price = price,
            IpItems = ipItems,
            HolderOrganisation = isOffer ? (string.IsNullOrWhiteSpace(input.HolderOrganisation) ? defaultHolder : input.HolderOrganisation.Trim()) : null,
            Budget = budget,
            Deadline = input.Deadline?.ToUniversalTime(),
            CooperationModes = isOffer ? [] : input.CooperationModes ?? [],
            Bounty = input.Bounty,
            ProposalDeadline = input.ProposalDeadline?.ToUniversalTime(),
            Contact = input.Contact,
        };
    }

    public static (string Summary, string? Approach, decimal? Quoted, Contact? Contact) Validate(ProposalInput input)
    {
        var v = new Validator()
            .Text(input.Summary, "summary", "方案概要", 2000, min: 10)
            .Text(input.Approach, "approach", "技术路线", 20000, required: false);
        v.Money(input.QuotedAmount, "quotedAmount");
        Phone(v, input.Contact);
        v.ThrowIfInvalid();
        return (input.Summary!.Trim(), input.Approach?.Trim(), input.QuotedAmount, input.Contact);
    }

    public static (Guid ProposalId, decimal? Amount, string? Note) Validate(AwardInput input)
    {
        new Validator()
            .Check(input.ProposalId is not null, "proposalId", "请选择揭榜方案 / proposalId is required.")
            .Text(input.Note, "note", "说明", 1000, required: false)
            .Money(input.Amount, "amount")
            .ThrowIfInvalid();
        return (input.ProposalId!.Value, input.Amount, input.Note?.Trim());
    }

    public static string RequiredReason(ReasonInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "驳回理由", 500, min: 2).ThrowIfInvalid();
        return input!.Reason!.Trim();
    }

    public static string? OptionalReason(ReasonInput? input)
    {
        new Validator().Text(input?.Reason, "reason", "理由", 500, required: false).ThrowIfInvalid();
        return string.IsNullOrWhiteSpace(input?.Reason) ? null : input.Reason.Trim();
    }

    /// <returns>the range; null when none is given and none is <paramref name="required"/> (neither end is no range).</returns>
    private static Money? Range(Validator v, MoneyInput? input, string field, string label, bool required)
    {
        if (input is null || (!input.Negotiable && input.Min is null && input.Max is null))
        {
            if (required) v.Add(field, $"请填写{label}区间或选择面议 / {field} is required: a min/max range, or negotiable.");
            return null;
        }
        v.Money(input.Min, field + ".min");
        v.Money(input.Max, field + ".max");
        if (input.Min is { } min && input.Max is { } max && min > max)
            v.Add(field, $"{label}下限不能高于上限 / {field}.min is above {field}.max.");
        return new Money { Min = input.Min, Max = input.Max, Negotiable = input.Negotiable };
    }

    private static List<IpItemSnapshot> IpItems(Validator v, IReadOnlyList<IpItemInput>? items)
    {
        var result = new List<IpItemSnapshot>();
        if (items is null) return result;
        if (items.Count > ListingLimits.IpItemsMax) v.Add("ipItems", $"知识产权最多 {ListingLimits.IpItemsMax} 项 / At most {ListingLimits.IpItemsMax} IP items.");
        for (var i = 0; i < items.Count && i < ListingLimits.IpItemsMax; i++)
        {
            var item = items[i];
            var field = $"ipItems[{i}]";
            if (item?.Type is not { } type) { v.Add(field + ".type", "请选择知识产权类型 / type is required."); continue; }
            var problem = NumberProblem(type, item.Number);
            if (problem is not null) { v.Add(field + ".number", problem); continue; }
            v.Text(item.Title, field + ".title", "名称", 200, required: false);
            var number = type is IpType.InventionPatent or IpType.UtilityModel or IpType.DesignPatent
                ? PatentApplicationNumber.Normalize(item.Number!)
                : item.Number!.Trim();
            if (result.Any(r => r.Type == type && r.Number == number)) { v.Add(field + ".number", "知识产权重复 / Duplicate IP item."); continue; }
            result.Add(new IpItemSnapshot { Type = type, Number = number, Title = item.Title?.Trim() });
        }
        return result;
    }

    private static string? NumberProblem(IpType type, string? number) => type switch
    {
        IpType.InventionPatent => PatentApplicationNumber.Problem(number, PatentApplicationNumber.Kind.Invention),
        IpType.UtilityModel => PatentApplicationNumber.Problem(number, PatentApplicationNumber.Kind.UtilityModel),
        IpType.DesignPatent => PatentApplicationNumber.Problem(number, PatentApplicationNumber.Kind.Design),
        // 软件著作权登记号, e.g. 2023SR0123456
        IpType.SoftwareCopyright => number is not null && SoftwareRegistration().IsMatch(number.Trim()) ? null
            : "软件著作权登记号格式如 2023SR0123456 / A software copyright number looks like 2023SR0123456.",
        // 技术秘密 has no public number: a short internal reference is enough.
        _ => string.IsNullOrWhiteSpace(number) ? "请填写编号 / number is required."
            : number.Trim().Length > 50 ? "编号不能超过 50 个字符 / number is longer than 50 characters." : null,
    };

    private static void Phone(Validator v, Contact? contact)
    {
        if (contact is null) return;
        v.Text(contact.Name, "contact.name", "联系人", 50, required: false);
        if (!string.IsNullOrWhiteSpace(contact.Phone))
            v.Check(ContactFormats.IsPhone(contact.Phone), "contact.phone", "联系电话格式不正确 / contact.phone is not a phone number.");
        if (!string.IsNullOrWhiteSpace(contact.Email))
            v.Check(ContactFormats.IsEmail(contact.Email), "contact.email", "邮箱格式不正确 / contact.email is not an e-mail address.");
    }

    [GeneratedRegex(@"^(19|20)\d{2}SR\d{6,7}$")]
    private static partial Regex SoftwareRegistration();
}
