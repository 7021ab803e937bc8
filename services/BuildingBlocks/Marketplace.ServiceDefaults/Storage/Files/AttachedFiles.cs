using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>
/// A file as its resource records it (a listing's attachment, a contract's document). The resource's list of these
/// is what the market shows and serves: a stored file that no resource lists (an upload that lost its race for the
/// last slot, or whose process died before it was recorded) is never visible.
/// </summary>
/// <param name="UploadedByName">Who uploaded it, as people are shown (their name, else their username).</param>
public sealed record AttachedFile(
    Guid Id, string Kind, string Name, string ContentType, long Size, string Sha256,
    string UploadedBy, string UploadedByName, DateTimeOffset UploadedAt)
{
    public static AttachedFile Of(StoredFile file, MarketUser by) =>
        new(file.Id, file.Kind, file.Name, file.ContentType, file.Size, file.Sha256, by.Subject, by.Name ?? by.Subject, file.UploadedAt);
}

/// <summary>A file as the API answers with it.</summary>
/// <param name="Sha256">Lower-case hex, as <c>sha256sum</c> prints it; also the download's ETag.</param>
/// <param name="UploadedBy">The uploader as people are shown.</param>
public sealed record FileResponse(Guid Id, string Kind, string Name, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, string UploadedBy)
{
    public static FileResponse From(AttachedFile file) =>
        new(file.Id, file.Kind, file.Name, file.ContentType, file.Size, file.Sha256, file.UploadedAt, file.UploadedByName);
}

/// <summary>The files of one resource, oldest first (never more than <see cref="FileStorageOptions.MaxFilesPerResource"/>).</summary>
public sealed record FileList(IReadOnlyList<FileResponse> Items)
{
    public static FileList Of(IEnumerable<AttachedFile> files) => new(files.Select(FileResponse.From).ToList());
}

/// <summary>The rules every resource's list of files follows.</summary>
public static class AttachedFileRules
{
    /// <summary>409 when the resource holds <paramref name="max"/> files already.</summary>
    public static void EnsureRoom(IReadOnlyCollection<AttachedFile> files, int max)
    {
        if (files.Count >= max)
            throw new ConflictException($"每项最多 {max} 个文件，已达上限，请先删除不需要的文件 / At most {max} files each; remove one first.");
    }

    /// <summary>The file of the list, or 404.</summary>
    public static AttachedFile Find(IEnumerable<AttachedFile> files, Guid fileId) =>
        files.FirstOrDefault(f => f.Id == fileId) ?? throw new NotFoundException($"文件 {fileId} 不存在 / File {fileId} does not exist.");
}
