using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Portal.Api;

namespace Marketplace.Portal.Components.Shared;

/// <summary>The registration application as the form edits it; turned into the API's request for self-check and save.</summary>
public sealed class ContractModel
{
    public sealed class CostRow
    {
        public string Item { get; set; } = "";
        public string Amount { get; set; } = "";
        public bool Carrier { get; set; }
    }

    public sealed class IpRow
    {
        public IpType Type { get; set; } = IpType.InventionPatent;
        public string Number { get; set; } = "";
    }

    public string Title { get; set; } = "";
    public ContractType Type { get; set; } = ContractType.Transfer;
    public ContractSubtype? Subtype { get; set; } = ContractSubtype.PatentTransfer;
    public string Field { get; set; } = "";
    public string SellerName { get; set; } = "";
    public string SellerCreditCode { get; set; } = "";
    public string SellerRegion { get; set; } = "";
    public string BuyerName { get; set; } = "";
    public string BuyerCreditCode { get; set; } = "";
    public string BuyerRegion { get; set; } = "";
    public string SignedOn { get; set; } = "";
    public string ValidFrom { get; set; } = "";
    public string ValidTo { get; set; } = "";
    public string TotalAmount { get; set; } = "";
    public string LicenseTermYears { get; set; } = "";
    public Exclusivity? Exclusivity { get; set; }
    public Guid? DealId { get; set; }
    public List<CostRow> Costs { get; } = [];
    public List<IpRow> IpItems { get; } = [];

    private static decimal? Number(string text) => decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
    private static DateOnly? Date(string text) => DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    private static string Text(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>Numbers the form cannot read, each at its input ("nonTechnicalCosts[1].amount"): marked, and left out of what is sent.</summary>
    public Dictionary<string, string[]> FormatErrors()
    {
        var errors = new Dictionary<string, string[]>();
        if (TotalAmount.Trim().Length > 0 && Number(TotalAmount) is null) errors["totalAmount"] = ["请输入合同总金额（元），如 1200000"];
        for (var i = 0; i < Costs.Count; i++)
        {
            if (Costs[i].Amount.Trim().Length > 0 && Number(Costs[i].Amount) is null)
                errors[$"nonTechnicalCosts[{i}].amount"] = [$"第 {i + 1} 项费用的金额须为数字（元）"];
        }
        if (Type == ContractType.License && LicenseTermYears.Trim().Length > 0 && !int.TryParse(LicenseTermYears.Trim(), out _))
            errors["licenseTermYears"] = ["许可年限请填写整数（年），如 5"];
        return errors;
    }

    public ApplicationRequest ToRequest() => new()
    {
        Title = Title.Trim(),
        Type = Type,
        Subtype = Subtype,
        Field = Field.Length == 0 ? null : Field,
        Seller = new Party(SellerName.Trim(), SellerCreditCode.Trim(), SellerRegion.Trim()),
        Buyer = new Party(BuyerName.Trim(), BuyerCreditCode.Trim(), BuyerRegion.Trim()),
        SignedOn = Date(SignedOn),
        ValidFrom = Date(ValidFrom),
        ValidTo = Date(ValidTo),
        TotalAmount = Number(TotalAmount),
        NonTechnicalCosts = [.. Costs.Where(c => c.Item.Trim().Length > 0 || c.Amount.Trim().Length > 0)
            .Select(c => new CostItem(c.Item.Trim(), Number(c.Amount), c.Carrier))],
        IpItems = [.. IpItems.Where(i => i.Number.Trim().Length > 0).Select(i => new IpItem(i.Type, i.Number.Trim()))],
        LicenseTermYears = Type == ContractType.License && int.TryParse(LicenseTermYears.Trim(), out var years) ? years : null,
        Exclusivity = Type == ContractType.License ? Exclusivity : null,
        DealId = DealId,
    };

    public static ContractModel From(ApplicationView a)
    {
        var model = new ContractModel
        {
            Title = a.Title ?? "", Type = a.Type ?? ContractType.Transfer, Subtype = a.Subtype, Field = a.Field ?? "",
            SellerName = a.Seller?.Name ?? "", SellerCreditCode = a.Seller?.CreditCode ?? "", SellerRegion = a.Seller?.RegionCode ?? "",
            BuyerName = a.Buyer?.Name ?? "", BuyerCreditCode = a.Buyer?.CreditCode ?? "", BuyerRegion = a.Buyer?.RegionCode ?? "",
            SignedOn = Labels.Day(a.SignedOn), ValidFrom = Labels.Day(a.ValidFrom), ValidTo = Labels.Day(a.ValidTo),
            TotalAmount = Text(a.TotalAmount),
            LicenseTermYears = a.LicenseTermYears?.ToString(CultureInfo.InvariantCulture) ?? "", Exclusivity = a.Exclusivity, DealId = a.DealId,
        };
        model.Costs.AddRange(a.NonTechnicalCosts.Select(c => new CostRow { Item = c.Item ?? "", Amount = Text(c.Amount), Carrier = c.Carrier }));
        model.IpItems.AddRange(a.IpItems.Select(i => new IpRow { Type = i.Type ?? IpType.InventionPatent, Number = i.Number ?? "" }));
        return model;
    }
}
