using System.Net;
using System.Security.Cryptography;
using Marketplace.TestKit;

namespace Marketplace.EndToEnd.Tests;

/// <summary>Files through the gateway in proxy mode: the upload routes alone take more than the JSON routes' 1 MiB.</summary>
public sealed class DistributedDocumentTests
{
    [RabbitFact]
    public async Task A_contract_text_larger_than_a_JSON_body_goes_through_the_gateway_and_the_certificate_states_its_SHA256()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        var seller = await market.SignIn("demo-university");
        var registrar = await market.SignIn("demo-registrar");
        var pdf = SampleFiles.LargePdf(minBytes: 3 * 1024 * 1024 / 2);
        Assert.True(pdf.Length > 1024 * 1024, $"the PDF has {pdf.Length} bytes");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));

        var draft = await (await market.Client.Send(HttpMethod.Post, "/api/contracts", seller,
            SampleData.PatentTransferContract("端到端：锂电池隔膜专利权转让合同", 800_000m))).Expect(201);
        var id = (string)draft["id"]!;
        // a JSON body of that size is still refused at the gateway
        await (await market.Client.Send(HttpMethod.Post, "/api/contracts/precheck", seller, new string(' ', 1024 * 1024 + 1))).Expect(413);
        var file = await (await market.Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", pdf, "签字版合同.pdf")).Expect(201);
        Assert.Equal(sha256, (string)file["sha256"]!);
        await (await market.Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);
        // a large upload the service refuses at once is answered with the refusal, not a broken connection (502)
        Assert.Contains("提交后材料不可更改", (string)(await (await market.Client.Upload($"/api/contracts/{id}/documents", seller, "annex", pdf)).Expect(409))["detail"]!, StringComparison.Ordinal);

        // the registrar reads it through the gateway, a range of it too
        var url = $"/api/contracts/{id}/documents/{file["id"]}";
        var read = await market.Client.Send(HttpMethod.Get, url, registrar);
        Assert.Equal(pdf, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha256}\"", read.Headers.ETag?.Tag);
        var tail = await market.Client.Send(HttpMethod.Get, url, registrar, headers: new Dictionary<string, string> { ["Range"] = "bytes=-6" });
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(pdf[^6..], await tail.Content.ReadAsByteArrayAsync());

        var registered = await (await market.Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", registrar)).Expect(200);
        var certificate = await (await market.Client.Send(HttpMethod.Get, $"/api/registrations/{registered["registrationNumber"]}/certificate", seller)).Expect(200);
        Assert.Equal(sha256, (string)certificate["certificate"]!["documents"]![0]!["sha256"]!);
        Assert.Contains(sha256, (string)certificate["document"]!, StringComparison.Ordinal);
    }

    [RabbitFact]
    public async Task A_listings_patent_certificate_is_attached_through_the_gateway_and_refusals_keep_their_reasons()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        var owner = await market.SignIn("demo-university");
        var created = await (await market.Client.Send(HttpMethod.Post, "/api/listings", owner, DistributedMarket.Offer(1))).Expect(201);
        var id = (string)created["id"]!;

        var certificate = await (await market.Client.Upload($"/api/listings/{id}/attachments", owner, "patent_certificate", SampleFiles.Pdf(), "专利证书.pdf")).Expect(201);
        Assert.Contains("ELF", (string)(await (await market.Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Elf, "照片.pdf")).Expect(415))["detail"]!, StringComparison.Ordinal);
        await (await market.Client.Upload($"/api/listings/{id}/attachments", await market.SignIn("demo-enterprise"), "photo", SampleFiles.Png, "a.png", "image/png")).Expect(403);

        var listing = await market.Get(id, owner);
        Assert.Equal((string)certificate["id"]!, (string)Assert.Single(listing["attachments"]!.AsArray())!["id"]!);
        var read = await market.Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{certificate["id"]}?download=true", owner);
        Assert.Equal("attachment", read.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("专利证书.pdf", read.Content.Headers.ContentDisposition?.FileNameStar);
    }
}
