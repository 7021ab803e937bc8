using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration.Applications;

/// <summary>
/// <c>/api/contracts/{id}/documents</c>: the signed contract text (合同文本) the registrar reviews, and its annexes,
/// in the registration service's own file store. The application records its documents
/// (<see cref="ContractApplication.Documents"/>); they change only while the applicant may edit, submitting needs a
/// contract text, and registering records each one's SHA-256, which the certificate states.
/// </summary>
internal static class ContractDocuments
{
    /// <summary>The bucket of the registration service's file store.</summary>
    public const string Bucket = "documents";

    public const string ContractText = "contract_text";
    public const string Annex = "annex";

    public static readonly string[] Kinds = [ContractText, Annex];

    private static readonly string[] SellerSide = [Roles.University, Roles.Enterprise, Roles.Broker];

    public static IEndpointRouteBuilder MapContractDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var maxFileBytes = app.ServiceProvider.GetRequiredService<IOptions<FileStorageOptions>>().Value.MaxFileBytes;
        var group = app.MapGroup("/api/contracts/{id:guid}/documents").WithTags("Contracts 技术合同认定登记").ProducesProblems(401, 403, 404);
        group.MapPost("/", Upload).RequireAuthorization(p => p.RequireRole(SellerSide))
            .AcceptsFileUpload(maxFileBytes, Kinds)
            .ProducesProblems(400, 409, 413, 415)
            .WithSummary("上传合同材料（合同文本、附件；multipart：先 kind 后 file）/ Attach the contract text or an annex while the application may be edited");
        group.MapGet("/", List).RequireAuthorization()
            .WithSummary("合同材料列表 / The documents: the applicant, the point's registrars, and the region's tax staff once registered");
        group.MapMethods("/{fileId:guid}", [HttpMethods.Get, HttpMethods.Head], Download).RequireAuthorization()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status304NotModified)
            .ProducesProblems(400, 416)
            .WithSummary("下载合同材料（ETag 为 SHA-256，支持 Range；download=true 作为附件下载）/ A document's content");
        group.MapDelete("/{fileId:guid}", Remove).RequireAuthorization(p => p.RequireRole(SellerSide))
            .ProducesProblems(409)
            .WithSummary("删除合同材料（仅草稿或退回补正时）/ Remove a document while the application may be edited");
        return app;
    }

    private static async Task<Created<FileResponse>> Upload(Guid id, MarketUser user, HttpRequest request, RegistrationService service,
        [FromKeyedServices(RegistrationModule.StoreKey)] IFileStore files, IOptions<FileStorageOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var file = await files.ReceiveAndRecordAsync(request, Bucket, id.ToString(), user, Kinds, limits.MaxFileBytes,
            check: async () =>
            {
                var application = await service.LoadAsync(id, ct);
                application.EnsureOwnedBy(user);
                application.EnsureCanAttach(limits.MaxFilesPerResource);
            },
            record: f => service.ChangeAsApplicantAsync(id, user, a => a.Attach(f, limits.MaxFilesPerResource, user, service.Now), CancellationToken.None),
            isRecorded: async fileId => (await service.LoadAsync(id, CancellationToken.None)).Documents.Any(d => d.Id == fileId),
            ct);
        return TypedResults.Created($"/api/contracts/{id}/documents/{file.Id}", FileResponse.From(file));
    }

    private static async Task<Ok<FileList>> List(Guid id, MarketUser user, RegistrationService service, CancellationToken ct)
    {
        var application = await service.LoadAsync(id, ct);
        application.EnsureDocumentsVisibleTo(user);
        return TypedResults.Ok(FileList.Of(application.Documents));
    }

    private static async Task<FileDownloadResult> Download(Guid id, Guid fileId, MarketUser user, bool? download, HttpResponse response,
        RegistrationService service, [FromKeyedServices(RegistrationModule.StoreKey)] IFileStore files, CancellationToken ct)
    {
        var application = await service.LoadAsync(id, ct);
        application.EnsureDocumentsVisibleTo(user);
        var file = AttachedFileRules.Find(application.Documents, fileId);
        return await files.DownloadAsync(Bucket, file, download == true, response, ct);
    }

    private static async Task<NoContent> Remove(Guid id, Guid fileId, MarketUser user, RegistrationService service,
        [FromKeyedServices(RegistrationModule.StoreKey)] IFileStore files, CancellationToken ct)
    {
        await files.RemoveRecordedAsync(Bucket, async () =>
        {
            AttachedFile? removed = null;
            await service.ChangeAsApplicantAsync(id, user, a => removed = a.Detach(fileId, user, service.Now), ct);
            return removed!;
        });
        return TypedResults.NoContent();
    }
}
