using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// The contract's own text through the registration (issue 15): the university attaches the signed PDF to its
/// application and submits it, the registrar reads it in the page and registers, and the certificate states the
/// file's SHA-256 — which is what <c>sha256sum</c> prints for the file the portal hands out.
/// </summary>
public sealed class DocumentJourneyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    private static readonly Regex Sha256 = new("^[0-9a-f]{64}$");

    /// <summary>Every refusal the browser reports under the portal's Content-Security-Policy.</summary>
    private readonly ConcurrentBag<string> _refused = [];

    private async Task<IPage> OpenAsync(string username)
    {
        var page = await market.OpenAsync(username);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) _refused.Add($"{page.Url}: {message.Text}");
        };
        return page;
    }

    [BrowserFact]
    public async Task The_university_attaches_the_contract_PDF_the_registrar_reads_it_in_the_page_and_the_certificate_states_its_SHA256()
    {
        var title = $"锂电池隔膜涂覆技术转让合同（{Random.Shared.Next(1000, 9999)}）";
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var pdf = SampleFiles.Pdf(pages: 2, text: "Technology transfer contract");
        // set-up, not the journey: the draft as the registration journey leaves it
        var draft = await (await market.Api.Send(HttpMethod.Post, "/api/contracts", await market.TokenAsync("demo-university"), new
        {
            title, type = "transfer", subtype = "patent_transfer", field = "new-energy",
            seller = new { name = "湖南示范大学（演示）", creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
            buyer = new { name = "长沙示范智造有限公司（演示）", creditCode = CreditCode.WithCheck("91430100MA4L00002"), regionCode = "430104" },
            signedOn = today.AddDays(-3), validFrom = today.AddDays(-3), validTo = today.AddYears(3), totalAmount = 1_500_000m,
            ipItems = new[] { new { type = "invention_patent", number = "ZL201710601862.3" } },
        })).Expect(201);
        var id = (string)draft["id"]!;

        // without the signed contract text the application is not submitted, and the page says why
        var university = await OpenAsync("demo-university");
        await university.GotoAsync("/contracts");
        await university.InteractiveAsync();
        var application = university.Locator($"[data-testid=contract][data-id='{id}']");
        await application.Locator("[data-testid=c-submit]").ClickAsync();
        await Expect(university.TestId("problem")).ToContainTextAsync("缺少已签订的合同文本");
        await Expect(application.Locator("[data-testid=contract-status]")).ToHaveTextAsync("草稿");

        // the university attaches it in the editor: the progress runs to the end and the file is listed
        await university.GotoAsync($"/contracts/{id}/edit");
        await university.InteractiveAsync();
        await Expect(university.TestId("files-empty")).ToBeVisibleAsync();
        await university.PickAsync("file-kind", "contract_text");
        await university.TestId("file-input").SetInputFilesAsync(new FilePayload { Name = "技术转让合同.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Expect(university.TestId("upload")).ToHaveAttributeAsync("data-state", "Done");
        await Expect(university.TestId("upload")).ToHaveAttributeAsync("data-percent", "100");
        await Expect(university.TestId("file-notice")).ToContainTextAsync("已上传“技术转让合同.pdf”");
        var listed = university.TestId("file");
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.Locator("[data-testid=file-name]")).ToHaveTextAsync("技术转让合同.pdf");
        await Expect(listed.Locator("[data-testid=file-kind-label]")).ToHaveTextAsync("合同文本");
        await university.ShotAsync("contract-documents");

        // then submits it (the upload changed the version; the list reads the new one)
        await university.GotoAsync("/contracts");
        await university.InteractiveAsync();
        await application.Locator("[data-testid=c-submit]").ClickAsync();
        await Expect(application.Locator("[data-testid=contract-status]")).ToHaveTextAsync("待登记");

        // the registrar opens the application and reads the contract in the page, in a frame the browser fills through the portal
        var registrar = await OpenAsync("demo-registrar");
        await registrar.GotoAsync("/registrar/queue");
        await registrar.InteractiveAsync();
        await registrar.Locator("[data-testid=queue-item]", new() { HasText = title }).Locator("a").ClickAsync();
        await registrar.InteractiveAsync();
        await Expect(registrar.TestId("contract-title")).ToHaveTextAsync(title);
        await Expect(registrar.TestId("file-name")).ToHaveTextAsync("技术转让合同.pdf");
        var shown = await registrar.RunAndWaitForResponseAsync(() => registrar.TestId("file-preview-toggle").ClickAsync(),
            r => r.Url.Contains($"/portal/files/contracts/{id}/", StringComparison.Ordinal));
        Assert.Equal(200, shown.Status);
        Assert.Equal("application/pdf", (await shown.AllHeadersAsync())["content-type"]);
        Assert.StartsWith("inline", (await shown.AllHeadersAsync())["content-disposition"]);
        var frame = registrar.Locator("iframe[data-testid=file-preview]");
        await Expect(frame).ToBeVisibleAsync();
        var source = (await frame.GetAttributeAsync("src"))!;
        await registrar.ShotAsync("registrar-contract-preview");
        await registrar.TestId("register").ClickAsync();
        await registrar.TestId("register-confirmed").ClickAsync();
        await Expect(registrar.TestId("contract-status")).ToHaveTextAsync("已登记");
        var number = Regex.Match(await registrar.TestId("contract-number").InnerTextAsync(), "[0-9]{16}").Value;

        // the certificate states the file and its SHA-256, and how to check it
        await university.GotoAsync($"/certificate/{number}");
        await Expect(university.TestId("document-name")).ToHaveTextAsync("技术转让合同.pdf");
        var stated = (await university.TestId("document-sha256").InnerTextAsync()).Trim();
        Assert.Matches(Sha256, stated);
        await Expect(university.TestId("certificate")).ToContainTextAsync("sha256sum 文件名");
        await university.ShotAsync("certificate-documents");

        // the file the portal hands out is the one registered: sha256sum of the download prints what the certificate states
        await university.GotoAsync($"/contracts/{id}");
        await university.InteractiveAsync();
        var download = await university.RunAndWaitForDownloadAsync(() => university.TestId("file-download").ClickAsync());
        Assert.Equal("技术转让合同.pdf", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pdf");
        await download.SaveAsAsync(saved);
        var downloaded = await File.ReadAllBytesAsync(saved);
        File.Delete(saved);
        Assert.Equal(stated, Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        Assert.Equal(pdf, downloaded); // byte for byte what the university attached

        // the portal's route passes ranges and revalidation on, as a PDF viewer uses them
        var part = await registrar.Context.APIRequest.GetAsync(source, new() { Headers = new Dictionary<string, string> { ["Range"] = "bytes=0-7" } });
        Assert.Equal(206, part.Status);
        Assert.Equal(pdf[..8], await part.BodyAsync());
        Assert.Equal($"bytes 0-7/{pdf.Length}", part.Headers["content-range"]);
        var again = await registrar.Context.APIRequest.GetAsync(source, new() { Headers = new Dictionary<string, string> { ["If-None-Match"] = $"\"{stated}\"" } });
        Assert.Equal(304, again.Status);

        // and a visitor without a session learns only that they must sign in, in Chinese
        var visitor = await market.OpenAsync();
        var refused = await visitor.Context.APIRequest.GetAsync(source);
        Assert.Equal(401, refused.Status);
        Assert.Contains("请先登录", await refused.TextAsync());

        Assert.True(_refused.IsEmpty, string.Join("\n", _refused));
    }

    [BrowserFact]
    public async Task A_university_gives_its_offer_a_patent_number_a_certificate_and_a_photo_and_a_visitor_sees_only_the_photo()
    {
        var title = $"陶瓷涂覆隔膜浆料配方与涂布工艺（{Random.Shared.Next(1000, 9999)}）";
        var draft = await (await market.Api.Send(HttpMethod.Post, "/api/listings", await market.TokenAsync("demo-university"), new
        {
            kind = "offer", title, summary = "一种耐高温陶瓷涂覆锂电池隔膜的浆料配方与涂布工艺。",
            description = "该成果涉及陶瓷涂覆隔膜的浆料配方、涂布工艺与在线检测装置，已完成中试验证，可独占许可。",
            field = "new-energy", keywords = new[] { "锂电池", "隔膜" }, maturity = 6, transferModes = new[] { "exclusive_license" },
            price = new { min = 200000m, max = 400000m },
        })).Expect(201);
        var id = (string)draft["id"]!;

        // the university names the patent and attaches its certificate, a photo and a brochure it then removes again
        var university = await OpenAsync("demo-university");
        await university.GotoAsync($"/my/listings/{id}/edit");
        await university.InteractiveAsync();
        await university.TestId("add-ip").ClickAsync();
        await university.EnterAsync("ip-number", "ZL201710601862.3");
        await university.EnterAsync("ip-title", "一种陶瓷涂覆隔膜及其制备方法");
        async Task Attach(string kind, string name, string type, byte[] content, int listed)
        {
            await university.PickAsync("file-kind", kind);
            await university.TestId("file-input").SetInputFilesAsync(new FilePayload { Name = name, MimeType = type, Buffer = content });
            await Expect(university.TestId("file")).ToHaveCountAsync(listed);
            await Expect(university.TestId("file-notice")).ToContainTextAsync($"已上传“{name}”");
        }
        await Attach("patent_certificate", "专利证书.pdf", "application/pdf", SampleFiles.Pdf(text: "Patent certificate"), 1);
        await Attach("photo", "中试线照片.png", "image/png", SampleFiles.Png, 2);
        await Attach("brochure", "宣传册.pdf", "application/pdf", SampleFiles.Pdf(text: "Brochure"), 3);
        var brochure = university.Locator("[data-testid=file]", new() { HasText = "宣传册.pdf" });
        await brochure.Locator("[data-testid=file-remove]").ClickAsync();
        await Expect(university.TestId("remove-confirm")).ToContainTextAsync("确认删除“宣传册.pdf”");
        await university.TestId("remove-confirmed").ClickAsync();
        await Expect(university.TestId("file")).ToHaveCountAsync(2);
        await university.ShotAsync("listing-attachments");
        // saving after the files changed: the editor re-read the listing's version, so this is no stale write
        await university.TestId("save").ClickAsync();
        await university.WaitForURLAsync(new Regex("/my/listings$"));
        await university.Locator($"[data-testid=my-listing][data-id='{id}'] [data-testid=submit]").ClickAsync();
        await Expect(university.Locator($"[data-testid=my-listing][data-id='{id}'] [data-testid=my-listing-status]")).ToHaveTextAsync("待审核");
        await (await market.Api.Send(HttpMethod.Post, $"/api/listings/{id}/approve", await market.TokenAsync("demo-operator"))).Expect(200);

        // a visitor sees the patent and the photo (in the page), not the certificate: that is for signed-in users
        var visitor = await market.OpenAsync();
        await visitor.GotoAsync($"/listings/{id}");
        await visitor.InteractiveAsync();
        await Expect(visitor.TestId("listing-ip")).ToContainTextAsync("发明专利 201710601862.3"); // the API keeps the number without its ZL prefix
        await Expect(visitor.TestId("file-name")).ToHaveTextAsync(["中试线照片.png"]);
        var photo = await visitor.RunAndWaitForResponseAsync(() => visitor.TestId("file-preview-toggle").ClickAsync(),
            r => r.Url.Contains($"/portal/files/listings/{id}/", StringComparison.Ordinal));
        Assert.Equal(200, photo.Status);
        Assert.Equal(SampleFiles.Png, await photo.BodyAsync());
        await Expect(visitor.Locator("img[data-testid=file-preview]")).ToHaveAttributeAsync("alt", "中试线照片.png");

        // an enterprise, signed in, sees both
        var enterprise = await OpenAsync("demo-enterprise");
        await enterprise.GotoAsync($"/listings/{id}");
        await Expect(enterprise.TestId("file-name")).ToHaveTextAsync(["专利证书.pdf", "中试线照片.png"]);
        Assert.True(_refused.IsEmpty, string.Join("\n", _refused));
    }
}
