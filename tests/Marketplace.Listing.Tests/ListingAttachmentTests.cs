using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Listing.Tests;

/// <summary>The certificates, brochures and photos behind a listing, through the public API.</summary>
public sealed class ListingAttachmentTests(ListingApi api) : IClassFixture<ListingApi>
{
    private HttpClient Client => api.Client;

    private IFileStore Store => api.Services.GetRequiredKeyedService<IFileStore>(ListingModule.StoreKey);

    private Task<int> Stored(string id) => Store.CountAsync(ListingFiles.Bucket, id);

    private async Task<(string Id, string Owner)> Draft()
    {
        var owner = api.University(ListingApi.NewOrg("att"));
        var created = await Client.Create(owner, Samples.Offer());
        return ((string)created["id"]!, owner);
    }

    private async Task<JsonArray> Attachments(string id, string? token) =>
        (await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments", token)).Expect(200))["items"]!.AsArray();

    [Fact]
    public async Task The_owner_attaches_a_patent_certificate_and_the_listing_shows_it()
    {
        var (id, owner) = await Draft();
        var pdf = SampleFiles.Pdf();

        var file = await (await Client.Upload($"/api/listings/{id}/attachments", owner, "patent_certificate", pdf, "ZL202110123456.7 专利证书.pdf")).Expect(201);

        Assert.Equal(("patent_certificate", "ZL202110123456.7 专利证书.pdf", "application/pdf", (long)pdf.Length, Convert.ToHexStringLower(SHA256.HashData(pdf))),
            ((string)file["kind"]!, (string)file["name"]!, (string)file["contentType"]!, (long)file["size"]!, (string)file["sha256"]!));
        var listing = await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}", owner)).Expect(200);
        Assert.Equal((string)file["id"]!, (string)listing["attachments"]![0]!["id"]!);
        var download = await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{file["id"]}", owner);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{file["sha256"]}\"", download.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_published_listings_photos_are_public_its_certificates_and_brochures_are_for_signed_in_users()
    {
        var (id, owner) = await Draft();
        var photo = await (await Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Png, "样机.png", "image/png")).Expect(201);
        var certificate = await (await Client.Upload($"/api/listings/{id}/attachments", owner, "patent_certificate", SampleFiles.Pdf())).Expect(201);
        var stranger = api.Enterprise(ListingApi.NewOrg("att-reader"));

        // unpublished: the owner and the sub-market's operators (a draft too), nobody else
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{certificate["id"]}", null)).Expect(401);
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{photo["id"]}", stranger)).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments", api.Operator("zhuzhou"))).Expect(403);
        Assert.Equal(2, (await Attachments(id, api.Operator())).Count);
        Assert.Equal(HttpStatusCode.OK, (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{certificate["id"]}", api.Operator("hq"))).StatusCode);

        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);
        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator())).Expect(200);

        Assert.Equal(HttpStatusCode.OK, (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{photo["id"]}", null)).StatusCode);
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{certificate["id"]}", null)).Expect(401);
        Assert.Equal(HttpStatusCode.OK, (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{certificate["id"]}", stranger)).StatusCode);
        Assert.Equal(["photo"], (await Attachments(id, null)).Select(f => (string)f!["kind"]!));
        Assert.Equal(["photo"], (await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}", null)).Expect(200))["attachments"]!.AsArray().Select(f => (string)f!["kind"]!));
        Assert.Equal(2, (await Attachments(id, stranger)).Count);
    }

    [Fact]
    public async Task Every_refused_upload_says_why_and_stores_nothing()
    {
        var (id, owner) = await Draft();
        var url = $"/api/listings/{id}/attachments";

        Assert.Contains("Windows", (string)(await (await Client.Upload(url, owner, "brochure", [(byte)'M', (byte)'Z', .. new byte[500]], "宣传册.pdf")).Expect(415))["detail"]!, StringComparison.Ordinal);
        await (await Client.Upload(url, owner, "brochure", SampleFiles.BrokenPdf())).Expect(400);
        await (await Client.Upload(url, owner, "brochure", [.. SampleFiles.Pdf(), .. new byte[ListingApi.MaxFileBytes]])).Expect(413);
        await (await Client.Upload(url, owner, "contract_text", SampleFiles.Pdf())).Expect(400);
        await (await Client.Upload(url, api.University(ListingApi.NewOrg("att-other")), "brochure", SampleFiles.Pdf())).Expect(403);
        await (await Client.Upload(url, api.Operator(), "brochure", SampleFiles.Pdf())).Expect(403);
        await (await Client.Upload(url, null, "brochure", SampleFiles.Pdf())).Expect(401);
        await (await Client.Upload($"/api/listings/{Guid.NewGuid()}/attachments", owner, "brochure", SampleFiles.Pdf())).Expect(404);

        Assert.Empty(await Attachments(id, owner));
        Assert.Equal(0, await Stored(id));
    }

    [Fact]
    public async Task Racing_uploads_fill_the_free_slots_exactly_and_one_more_is_409()
    {
        var (id, owner) = await Draft();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Png, $"照片{i}.png", "image/png")));

        Assert.Equal(ListingApi.MaxAttachments, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created)) await refused.Expect(409);
        await (await Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Png, "再一张.png", "image/png")).Expect(409);
        Assert.Equal(ListingApi.MaxAttachments, (await Attachments(id, owner)).Count);
        Assert.Equal(ListingApi.MaxAttachments, await Stored(id));
    }

    [Fact]
    public async Task Files_change_only_in_a_draft_or_a_rejected_listing()
    {
        var (id, owner) = await Draft();
        var brochure = await (await Client.Upload($"/api/listings/{id}/attachments", owner, "brochure", SampleFiles.Pdf())).Expect(201);
        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);

        await (await Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Png, "a.png", "image/png")).Expect(409);
        await (await Client.Send(HttpMethod.Delete, $"/api/listings/{id}/attachments/{brochure["id"]}", owner)).Expect(409);

        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/reject", api.Operator(), new { reason = "请补充专利证书" })).Expect(200);
        await (await Client.Send(HttpMethod.Delete, $"/api/listings/{id}/attachments/{brochure["id"]}", api.University(ListingApi.NewOrg("att-x")))).Expect(403);
        await (await Client.Send(HttpMethod.Delete, $"/api/listings/{id}/attachments/{brochure["id"]}", owner)).Expect(204);
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}/attachments/{brochure["id"]}", owner)).Expect(404);
        Assert.Empty(await Attachments(id, owner));
        Assert.Equal(0, await Stored(id));
        await (await Client.Upload($"/api/listings/{id}/attachments", owner, "patent_certificate", SampleFiles.Pdf())).Expect(201);

        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);
        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator())).Expect(200);
        await (await Client.Upload($"/api/listings/{id}/attachments", owner, "photo", SampleFiles.Png, "a.png", "image/png")).Expect(409);
        Assert.Single(await Attachments(id, owner));
    }
}
