using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Listing.Listings;

/// <summary>
/// <c>/api/listings/{id}/attachments</c>: the documents behind a listing — patent certificates (专利证书), brochures,
/// photos — in the listing service's own file store. The listing records its files (<see cref="Listing.Attachments"/>);
/// a file is stored first and recorded after, so the count limit and the listing's state are checked once more,
/// under the listing's version, when it is recorded, and an upload that loses is removed again.
/// </summary>
internal static class ListingFiles
{
    /// <summary>The bucket of the listing service's file store.</summary>
    public const string Bucket = "attachments";

    public const string PatentCertificate = "patent_certificate";
    public const string Brochure = "brochure";
    public const string Photo = "photo";

    public static readonly string[] Kinds = [PatentCertificate, Brochure, Photo];

    public static IEndpointRouteBuilder MapListingFileEndpoints(this IEndpointRouteBuilder app)
    {
        var maxFileBytes = app.ServiceProvider.GetRequiredService<IOptions<FileStorageOptions>>().Value.MaxFileBytes;
        var group = app.MapGroup("/api/listings/{id:guid}/attachments").WithTags("Listings 挂牌信息").ProducesProblems(401, 403, 404);
        group.MapPost("/", Upload).RequireAuthorization(p => p.RequireRole(Roles.University, Roles.Enterprise))
            .AcceptsFileUpload(maxFileBytes, Kinds)
            .ProducesProblems(400, 409, 413, 415)
            .WithSummary("上传附件（专利证书、宣传册、照片；multipart：先 kind 后 file）/ Attach a file to a draft or rejected listing");
        group.MapGet("/", List).AllowAnonymous()
            .WithSummary("附件列表 / The listing's files the caller may read");
        group.MapMethods("/{fileId:guid}", [HttpMethods.Get, HttpMethods.Head], Download).AllowAnonymous()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status304NotModified)
            .ProducesProblems(400, 416)
            .WithSummary("下载附件（ETag 为 SHA-256，支持 Range；download=true 作为附件下载）/ A file's content");
        group.MapDelete("/{fileId:guid}", Remove).RequireAuthorization(p => p.RequireRole(Roles.University, Roles.Enterprise))
            .ProducesProblems(409)
            .WithSummary("删除附件（仅草稿或被驳回时）/ Remove a file while the listing is a draft or rejected");
        return app;
    }

    private static async Task<Created<FileResponse>> Upload(Guid id, MarketUser user, HttpRequest request, ListingService listings,
        [FromKeyedServices(ListingModule.StoreKey)] IFileStore files, IOptions<FileStorageOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var file = await files.ReceiveAndRecordAsync(request, Bucket, id.ToString(), user, Kinds, limits.MaxFileBytes,
            check: async () =>
            {
                var listing = await listings.LoadAsync(id, ct);
                ListingService.EnsureOwner(listing, user);
                listing.EnsureCanAttach(limits.MaxFilesPerResource);
            },
            record: f => listings.ChangeAsOwnerAsync(id, user, null, l => l.Attach(f, limits.MaxFilesPerResource, user, listings.Now), CancellationToken.None),
            isRecorded: async fileId => (await listings.LoadAsync(id, CancellationToken.None)).Attachments.Any(f => f.Id == fileId),
            ct);
        return TypedResults.Created($"/api/listings/{id}/attachments/{file.Id}", FileResponse.From(file));
    }

    private static async Task<Ok<FileList>> List(Guid id, MarketUser? user, ListingService listings, CancellationToken ct)
    {
        var listing = await LoadForFilesAsync(id, user, listings, ct);
        return TypedResults.Ok(FileList.Of(listing.Attachments.Where(f => listing.MayRead(f, user))));
    }

    private static async Task<FileDownloadResult> Download(Guid id, Guid fileId, MarketUser? user, bool? download, HttpResponse response,
        ListingService listings, [FromKeyedServices(ListingModule.StoreKey)] IFileStore files, CancellationToken ct)
    {
        var listing = await LoadForFilesAsync(id, user, listings, ct);
        var file = AttachedFileRules.Find(listing.Attachments, fileId);
        if (!listing.MayRead(file, user))
        {
            if (user is null) throw new UnauthorizedException("请先登录后查看专利证书和宣传册 / Sign in to read certificates and brochures.");
            throw new ForbiddenException("无权查看该文件 / This file is not yours to read.");
        }
        return await files.DownloadAsync(Bucket, file, download == true, response, ct);
    }

    private static async Task<NoContent> Remove(Guid id, Guid fileId, MarketUser user, ListingService listings,
        [FromKeyedServices(ListingModule.StoreKey)] IFileStore files, CancellationToken ct)
    {
        await files.RemoveRecordedAsync(Bucket, async () =>
        {
            AttachedFile? removed = null;
            await listings.ChangeAsOwnerAsync(id, user, null, l => removed = l.Detach(fileId, user, listings.Now), ct);
            return removed!;
        });
        return TypedResults.NoContent();
    }

    /// <summary>A listing whose files the caller may ask for: one they may see, or any listing of an operator's sub-market (drafts included).</summary>
    private static async Task<Listing> LoadForFilesAsync(Guid id, MarketUser? user, ListingService listings, CancellationToken ct)
    {
        var listing = await listings.LoadAsync(id, ct);
        if (user is null || !user.IsOperatorOf(listing.SubMarket)) ListingService.EnsureVisible(listing, user);
        return listing;
    }
}
