using System.IO.Compression;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// A signed contract through the registration office: the university drafts and self-checks it, the
/// registrar registers it, the tax office verifies the number and records its check, and a visitor
/// learns only that the number is valid.
/// </summary>
public sealed class RegistrationJourneyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_contract_is_drafted_registered_verified_by_tax_and_shown_valid_to_a_visitor()
    {
        var title = $"高镍三元正极材料制备技术转让合同（{Random.Shared.Next(1000, 9999)}）";
        var today = DateTime.UtcNow.AddHours(8);

        // the university drafts the application; the rules engine's self-check comes first
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/contracts/new");
        await university.InteractiveAsync();
        await university.EnterAsync("c-title", title);
        await university.PickAsync("c-type", "transfer");
        await university.PickAsync("c-subtype", "patent_transfer");
        await university.PickAsync("c-field", "new-energy");
        await university.EnterAsync("c-seller-name", "湖南示范大学（演示）");
        await university.EnterAsync("c-seller-code", CreditCode.WithCheck("12430100MA4L00001"));
        await university.EnterAsync("c-seller-region", "430104");
        await university.EnterAsync("c-buyer-name", "长沙示范智造有限公司（演示）");
        await university.EnterAsync("c-buyer-code", CreditCode.WithCheck("91430100MA4L00002"));
        await university.EnterAsync("c-buyer-region", "430104");
        await university.EnterAsync("c-signed", today.AddDays(-3).ToString("yyyy-MM-dd"));
        await university.EnterAsync("c-from", today.AddDays(-3).ToString("yyyy-MM-dd"));
        await university.EnterAsync("c-to", today.AddYears(3).ToString("yyyy-MM-dd"));
        await university.EnterAsync("c-amount", "2000000");
        await university.EnterAsync("c-ip-number", "ZL201710601862.3");
        await university.TestId("precheck").ClickAsync();
        await Expect(university.TestId("precheck-verdict")).ToContainTextAsync("可以提交登记");
        await university.TestId("c-save").ClickAsync();
        await university.WaitForURLAsync(new Regex("/contracts$"));
        var application = university.Locator("[data-testid=contract]", new() { HasText = title });
        await Expect(application.Locator("[data-testid=contract-status]")).ToHaveTextAsync("草稿");
        // submitting needs the signed contract text: attached through the API here (DocumentJourneyTests attaches it in the page)
        await market.Api.AttachContractText(await application.GetAttributeAsync("data-id") ?? "", await market.TokenAsync("demo-university"));
        await university.ReloadAsync();
        await university.InteractiveAsync();
        await application.Locator("[data-testid=c-submit]").ClickAsync();
        await Expect(application.Locator("[data-testid=contract-status]")).ToHaveTextAsync("待登记");
        await university.ShotAsync("university-contracts");

        // the registrar finds it in the point's queue, with the engine's findings, and registers it
        var registrar = await market.OpenAsync("demo-registrar");
        await registrar.GotoAsync("/registrar/queue");
        await registrar.InteractiveAsync();
        var queued = registrar.Locator("[data-testid=queue-item]", new() { HasText = title });
        await Expect(queued).ToBeVisibleAsync();
        await registrar.ShotAsync("registrar-queue");
        var download = await registrar.RunAndWaitForDownloadAsync(() => registrar.TestId("export-queue").ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".xlsx");
        await download.SaveAsAsync(file);
        Assert.Contains(title, SharedStrings(file)); // the queue, as an Excel sheet
        File.Delete(file);

        await queued.Locator("a").ClickAsync();
        await registrar.InteractiveAsync();
        await Expect(registrar.TestId("contract-title")).ToHaveTextAsync(title);
        await registrar.TestId("register").ClickAsync();
        await registrar.TestId("register-confirmed").ClickAsync();
        await Expect(registrar.TestId("notice")).ToContainTextAsync("已登记");
        await Expect(registrar.TestId("contract-status")).ToHaveTextAsync("已登记");
        var number = Regex.Match(await registrar.TestId("contract-number").InnerTextAsync(), "[0-9]{16}").Value;
        Assert.Matches("^[0-9]{4}430101[0-9]{6}$", number);

        // the university opens its printable certificate, with a QR code for verification
        await university.GotoAsync("/contracts");
        await university.InteractiveAsync();
        await application.Locator("[data-testid=certificate-link]").ClickAsync();
        await Expect(university.TestId("certificate-number")).ToHaveTextAsync(number);
        Assert.EndsWith($"/verify?number={number}", await university.TestId("qr").GetAttributeAsync("data-url"));
        Assert.StartsWith("data:image/png;base64,", await university.TestId("qr").GetAttributeAsync("src"));
        await university.ShotAsync("certificate");

        // the tax office verifies the number with full details and records its check
        var tax = await market.OpenAsync("demo-tax");
        await tax.GotoAsync($"/tax?number={number}");
        await tax.InteractiveAsync();
        await Expect(tax.TestId("tax-status")).ToContainTextAsync("有效");
        await Expect(tax.Locator("body")).ToContainTextAsync("长沙示范智造有限公司");
        await Expect(tax.TestId("reliefs")).Not.ToBeEmptyAsync();
        await tax.EnterAsync("tax-case", "湘税减免-2026-00123");
        await tax.TestId("tax-record").ClickAsync();
        await Expect(tax.TestId("tax-checks")).ToContainTextAsync("湘税减免-2026-00123");
        await tax.ShotAsync("tax-verify");

        // a visitor learns that the number is valid, and nothing about the contract
        var visitor = await market.OpenAsync();
        await visitor.GotoAsync($"/verify?number={number}");
        await Expect(visitor.TestId("verify-result")).ToContainTextAsync("有效");
        var page = await visitor.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("长沙示范智造", page);
        Assert.DoesNotContain("2,000,000", page);
    }

    private static string SharedStrings(string xlsx)
    {
        // the cells' text, wherever the writer put it (shared strings or inline in the sheet)
        using var zip = ZipFile.OpenRead(xlsx);
        return string.Join('\n', zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()));
    }
}
