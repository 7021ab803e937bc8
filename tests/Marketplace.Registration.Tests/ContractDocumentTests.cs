using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Registration.Tests;

/// <summary>
/// The documents of a registration application through the public API: the signed contract text the registrar
/// reviews and its annexes — uploaded, read, refused, bound at submission and stated by the certificate.
/// </summary>
[Collection(nameof(RegistrationHost))]
public sealed class ContractDocumentTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    private IFileStore Store => api.Services.GetRequiredKeyedService<IFileStore>(RegistrationModule.StoreKey);

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<(string Id, string Seller)> Draft(string org)
    {
        var seller = api.Seller(org);
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application())).Expect(201);
        return ((string)draft["id"]!, seller);
    }

    private async Task<JsonArray> Documents(string id, string token) =>
        (await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents", token)).Expect(200))["items"]!.AsArray();

    /// <summary>What the store holds for the application, listed or not: a refusal must leave nothing behind.</summary>
    private Task<int> Stored(string id) => Store.CountAsync(ContractDocuments.Bucket, id);

    [Fact]
    public async Task The_contract_text_is_uploaded_with_its_SHA256_and_listed_on_the_application()
    {
        var (id, seller) = await Draft("doc-upload-uni");
        var pdf = SampleFiles.Pdf(pages: 2);
        var before = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);

        var response = await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", pdf, "技术开发合同（签字版）.pdf");
        var file = await response.Expect(201);

        Assert.Equal($"/api/contracts/{id}/documents/{file["id"]}", response.Headers.Location?.OriginalString);
        Assert.Equal("contract_text", (string)file["kind"]!);
        Assert.Equal("技术开发合同（签字版）.pdf", (string)file["name"]!);
        Assert.Equal("application/pdf", (string)file["contentType"]!);
        Assert.Equal(pdf.Length, (long)file["size"]!);
        Assert.Equal(Sha256(pdf), (string)file["sha256"]!);
        Assert.Equal(api.Clock.Now, DateTimeOffset.Parse((string)file["uploadedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("seller@doc-upload-uni", (string)file["uploadedBy"]!);
        var listed = Assert.Single(await Documents(id, seller));
        Assert.Equal((string)file["id"]!, (string)listed!["id"]!);
        var application = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
        Assert.Equal(Sha256(pdf), (string)application["documents"]![0]!["sha256"]!);
        Assert.True((long)application["version"]! > (long)before["version"]!, "an upload changes the application");
    }

    [Fact]
    public async Task A_document_downloads_with_its_type_name_SHA256_ETag_and_ranges()
    {
        var (id, seller) = await Draft("doc-download-uni");
        var pdf = SampleFiles.Pdf(pages: 3);
        var file = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", pdf, "合同 文本.pdf")).Expect(201);
        var url = $"/api/contracts/{id}/documents/{file["id"]}";

        var whole = await Client.Send(HttpMethod.Get, url, seller);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(pdf, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{Sha256(pdf)}\"", whole.Headers.ETag?.Tag);
        Assert.Equal("inline", whole.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("合同 文本.pdf", whole.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);

        var range = await Client.Send(HttpMethod.Get, url, seller, headers: new Dictionary<string, string> { ["Range"] = "bytes=5-14" });
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(pdf[5..15], await range.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 5-14/{pdf.Length}", range.Content.Headers.ContentRange?.ToString());

        var beyond = await Client.Send(HttpMethod.Get, url, seller, headers: new Dictionary<string, string> { ["Range"] = $"bytes={pdf.Length}-" });
        Assert.Equal($"bytes */{pdf.Length}", beyond.Content.Headers.ContentRange?.ToString());
        await beyond.Expect(416);

        var unchanged = await Client.Send(HttpMethod.Get, url, seller, headers: new Dictionary<string, string> { ["If-None-Match"] = $"\"{Sha256(pdf)}\"" });
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        using (var head = new HttpRequestMessage(HttpMethod.Head, url))
        {
            head.Headers.Authorization = new AuthenticationHeaderValue("Bearer", seller);
            var headers = await Client.SendAsync(head);
            Assert.Equal(HttpStatusCode.OK, headers.StatusCode);
            Assert.Equal(pdf.Length, headers.Content.Headers.ContentLength);
            Assert.Empty(await headers.Content.ReadAsByteArrayAsync());
        }

        var saved = await Client.Send(HttpMethod.Get, url + "?download=true", seller);
        Assert.Equal("attachment", saved.Content.Headers.ContentDisposition?.DispositionType);
        await (await Client.Send(HttpMethod.Get, url + "?download=maybe", seller)).Expect(400);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents/{Guid.NewGuid()}", seller)).Expect(404);
    }

    [Fact]
    public async Task A_program_renamed_pdf_is_415_with_the_reason_and_nothing_is_stored()
    {
        var (id, seller) = await Draft("doc-exe-uni");
        var problem = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", SampleFiles.Elf, "合同.pdf")).Expect(415);
        Assert.Contains("ELF", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Empty(await Documents(id, seller));
        Assert.Equal(0, await Stored(id));
    }

    [Fact]
    public async Task A_broken_or_empty_PDF_is_400_naming_the_file_and_nothing_is_stored()
    {
        var (id, seller) = await Draft("doc-broken-uni");
        var broken = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", SampleFiles.BrokenPdf())).Expect(400);
        Assert.Contains("损坏", (string)broken["errors"]!["file"]![0]!, StringComparison.Ordinal);
        var pageless = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", SampleFiles.PdfWithoutPages())).Expect(400);
        Assert.Contains("页面", (string)pageless["errors"]!["file"]![0]!, StringComparison.Ordinal);
        Assert.Empty(await Documents(id, seller));
        Assert.Equal(0, await Stored(id));
    }

    [Fact]
    public async Task A_file_larger_than_allowed_is_413_whether_or_not_its_length_is_declared_and_nothing_is_stored()
    {
        var (id, seller) = await Draft("doc-large-uni");
        byte[] large = [.. SampleFiles.Pdf(), .. new byte[RegistrationApi.MaxFileBytes]];

        var declared = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", large)).Expect(413);
        Assert.Contains("512 KB", (string)declared["detail"]!, StringComparison.Ordinal);

        // streamed without a length: refused as the bytes arrive
        using var form = new MultipartFormDataContent { { new StringContent("contract_text"), "kind" } };
        var streamed = new StreamContent(new MemoryStream(large));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(streamed, "file", "合同.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/contracts/{id}/documents") { Content = new ChunkedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", seller);
        await (await Client.SendAsync(request)).Expect(413);

        Assert.Empty(await Documents(id, seller));
        Assert.Equal(0, await Stored(id));
    }

    [Fact]
    public async Task One_more_document_than_allowed_is_409_and_racing_uploads_get_exactly_the_free_slots()
    {
        var (id, seller) = await Draft("doc-many-uni");
        await Client.AttachContractText(id, seller);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client.Upload($"/api/contracts/{id}/documents", seller, "annex", SampleFiles.Pdf())));

        Assert.Equal(RegistrationApi.MaxDocuments - 1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created)) await refused.Expect(409);
        Assert.Equal(RegistrationApi.MaxDocuments, (await Documents(id, seller)).Count);
        Assert.Equal(RegistrationApi.MaxDocuments, await Stored(id));
    }

    [Fact]
    public async Task A_form_that_is_not_as_the_route_reads_it_is_refused_with_the_reason_and_nothing_is_stored()
    {
        var (id, seller) = await Draft("doc-form-uni");
        var url = $"/api/contracts/{id}/documents";
        var pdf = SampleFiles.Pdf();

        await (await Client.Send(HttpMethod.Post, url, seller, new { kind = "contract_text" })).Expect(415);
        // who may call the route is answered before the body's type: anonymous is 401, a stranger's draft 404
        await (await Client.Send(HttpMethod.Post, url, null, new { kind = "contract_text" })).Expect(401);
        await (await Client.Send(HttpMethod.Post, url, api.Seller("doc-form-stranger"), new { kind = "contract_text" })).Expect(404);
        var noBoundary = new ByteArrayContent(pdf);
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        Assert.NotNull((await (await Post(url, seller, noBoundary)).Expect(400))["errors"]!["body"]);
        Assert.Contains("kind", (string)(await (await Client.Upload(url, seller, null, pdf)).Expect(400))["errors"]!["kind"]![0]!, StringComparison.Ordinal);
        Assert.NotNull((await (await Client.Upload(url, seller, "invoice", pdf)).Expect(400))["errors"]!["kind"]);

        // the file before its kind
        using (var fileFirst = new MultipartFormDataContent())
        {
            fileFirst.Add(new ByteArrayContent(pdf), "file", "合同.pdf");
            fileFirst.Add(new StringContent("contract_text"), "kind");
            Assert.NotNull((await (await Post(url, seller, fileFirst)).Expect(400))["errors"]!["kind"]);
        }
        // two files in one request
        using (var two = new MultipartFormDataContent())
        {
            two.Add(new StringContent("annex"), "kind");
            two.Add(new ByteArrayContent(pdf), "file", "一.pdf");
            two.Add(new ByteArrayContent(pdf), "file", "二.pdf");
            Assert.NotNull((await (await Post(url, seller, two)).Expect(400))["errors"]!["file"]);
        }
        // no file at all, a field nobody reads, a body cut short
        using (var kindOnly = new MultipartFormDataContent { { new StringContent("annex"), "kind" } })
            Assert.NotNull((await (await Post(url, seller, kindOnly)).Expect(400))["errors"]!["file"]);
        using (var extra = new MultipartFormDataContent { { new StringContent("x"), "note" } })
            await (await Post(url, seller, extra)).Expect(400);
        var cut = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nannex\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\n"));
        cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        await (await Post(url, seller, cut)).Expect(400);

        Assert.Empty(await Documents(id, seller));
        Assert.Equal(0, await Stored(id));
    }

    [Fact]
    public async Task Documents_change_only_while_the_application_may_be_edited()
    {
        var (id, seller) = await Draft("doc-fixed-uni");
        await Client.AttachContractText(id, seller);
        var annex = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "annex", SampleFiles.Png, "现场照片.png", "image/png")).Expect(201);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);

        await (await Client.Upload($"/api/contracts/{id}/documents", seller, "annex", SampleFiles.Pdf())).Expect(409);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}/documents/{annex["id"]}", seller)).Expect(409);
        Assert.Equal(2, (await Documents(id, seller)).Count);
        Assert.Equal(2, await Stored(id));

        // returned for correction, the applicant may change them again
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", api.Registrar(), new { note = "附件照片不清晰" })).Expect(200);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}/documents/{annex["id"]}", seller)).Expect(204);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents/{annex["id"]}", seller)).Expect(404);
        Assert.Single(await Documents(id, seller));
        Assert.Equal(1, await Stored(id));
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}/documents/{annex["id"]}", seller)).Expect(404);
    }

    [Fact]
    public async Task Submitting_without_the_contract_text_is_a_finding_with_its_rule_and_nothing_changes()
    {
        var (id, seller) = await Draft("doc-missing-uni");
        await (await Client.Upload($"/api/contracts/{id}/documents", seller, "annex", SampleFiles.Pdf())).Expect(201);

        var problem = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(400);

        var finding = (string)problem["errors"]!["documents"]![0]!;
        Assert.Contains("合同文本", finding, StringComparison.Ordinal);
        Assert.Contains("（管理办法（2026）第三章", finding, StringComparison.Ordinal);
        Assert.Equal("draft", (string)(await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200))["status"]!);
    }

    [Fact]
    public async Task Only_the_applicant_uploads_and_removes_and_nobody_else_reaches_a_draft()
    {
        var (id, seller) = await Draft("doc-owner-uni");
        var text = await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", SampleFiles.Pdf())).Expect(201);
        var stranger = api.Seller("doc-stranger-uni");

        // a draft is its organisation's own: to anyone else, registrars included, it does not exist
        await (await Client.Upload($"/api/contracts/{id}/documents", stranger, "annex", SampleFiles.Pdf())).Expect(404);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents/{text["id"]}", stranger)).Expect(404);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents", api.Registrar())).Expect(404);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}/documents/{text["id"]}", stranger)).Expect(404);
        await (await Client.Upload($"/api/contracts/{id}/documents", null, "annex", SampleFiles.Pdf())).Expect(401);
        await (await Client.Upload($"/api/contracts/{id}/documents", api.Registrar(), "annex", SampleFiles.Pdf())).Expect(403);
        await (await Client.Upload($"/api/contracts/{Guid.NewGuid()}/documents", seller, "annex", SampleFiles.Pdf())).Expect(404);

        // once returned, the application is seen by the point's registrars: a stranger is told no
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", api.Registrar(), new { note = "请补充附件" })).Expect(200);
        await (await Client.Upload($"/api/contracts/{id}/documents", stranger, "annex", SampleFiles.Pdf())).Expect(403);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}/documents/{text["id"]}", stranger)).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}/documents/{text["id"]}", stranger)).Expect(403);

        Assert.Single(await Documents(id, seller));
        Assert.Equal(1, await Stored(id));
    }

    [Fact]
    public async Task Registrars_read_once_submitted_and_the_regions_tax_staff_once_registered()
    {
        var submitted = await api.Submitted(seller: api.Seller("doc-read-uni"));
        var id = (string)submitted["id"]!;
        var fileId = (string)submitted["documents"]![0]!["id"]!;
        var url = $"/api/contracts/{id}/documents/{fileId}";
        var cityTax = api.Tax();
        var otherCityTax = api.Tokens.For("tax", "tax-xiangtan", "xiangtan", sub: "tax@xiangtan");

        Assert.Equal(HttpStatusCode.OK, (await Client.Send(HttpMethod.Get, url, api.Registrar())).StatusCode);
        await (await Client.Send(HttpMethod.Get, url, api.Registrar("zhuzhou"))).Expect(403);
        await (await Client.Send(HttpMethod.Get, url, cityTax)).Expect(403);
        await (await Client.Send(HttpMethod.Get, url, null)).Expect(401);

        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", api.Registrar(), new { note = "材料齐全" })).Expect(200);

        Assert.Equal(HttpStatusCode.OK, (await Client.Send(HttpMethod.Get, url, cityTax)).StatusCode);
        Assert.Single(await Documents(id, cityTax));
        await (await Client.Send(HttpMethod.Get, url, otherCityTax)).Expect(403);
        await (await Client.Send(HttpMethod.Get, url, api.Seller("doc-read-stranger"))).Expect(403);
    }

    [Fact]
    public async Task The_certificate_states_each_documents_SHA256_so_the_file_can_be_checked_against_it()
    {
        var seller = api.Seller("doc-cert-uni");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application())).Expect(201);
        var id = (string)draft["id"]!;
        var text = SampleFiles.Pdf(pages: 2, text: "Signed contract");
        var annex = SampleFiles.Png;
        await (await Client.Upload($"/api/contracts/{id}/documents", seller, "contract_text", text, "合同文本.pdf")).Expect(201);
        await (await Client.Upload($"/api/contracts/{id}/documents", seller, "annex", annex, "附件.png", "image/png")).Expect(201);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);
        var registered = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", api.Registrar())).Expect(200);

        var certificate = await (await Client.Send(HttpMethod.Get, $"/api/registrations/{registered["registrationNumber"]}/certificate", seller)).Expect(200);

        var stated = certificate["certificate"]!["documents"]!.AsArray();
        Assert.Equal([("contract_text", "合同文本.pdf", Sha256(text), (long)text.Length), ("annex", "附件.png", Sha256(annex), (long)annex.Length)],
            stated.Select(d => ((string)d!["kind"]!, (string)d["name"]!, (string)d["sha256"]!, (long)d["size"]!)));
        // the signed text itself carries them, so the signature covers them
        var signed = (string)certificate["document"]!;
        Assert.Contains(Sha256(text), signed, StringComparison.Ordinal);
        Assert.Contains(Sha256(annex), signed, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> Post(string url, string token, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    /// <summary>The inner content sent without a Content-Length, as a client streaming a file it has not measured does.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ChunkedContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var header in inner.Headers.Where(h => h.Key != "Content-Length")) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
