using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>
/// The file-storage port: the documents behind a resource (a listing's patent certificate, a contract's text),
/// kept where the service keeps its data — LiteDB file storage in the service's own LiteDB file
/// (<see cref="LiteDbFileStore"/>) or GridFS in the service's MongoDB database (<see cref="MongoFileStore"/>).
/// Files are grouped in <em>buckets</em> (one per kind of resource, e.g. <c>attachments</c>) and belong to an
/// <em>owner key</em> (the resource's id). A stored file never changes: it is uploaded whole, read, or deleted.
/// </summary>
/// <remarks>
/// An upload streams: the content is written chunk by chunk as it arrives (never held whole in memory), its
/// SHA-256 and size computed on the way. It is written hidden and published only once complete (and verified),
/// so a failed, refused, cancelled or crashed upload never shows. Each upload is journalled while it runs;
/// <see cref="SweepPartialAsync"/> removes what a crashed process left behind (<see cref="PartialUploadSweep"/>
/// runs it periodically).
/// </remarks>
public interface IFileStore
{
    /// <summary><c>litedb</c> or <c>mongodb</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Streams <paramref name="content"/> into a new file of <paramref name="bucket"/>. Throws
    /// <see cref="FileTooLargeException"/> as soon as more than <paramref name="maxBytes"/> arrived. When
    /// <paramref name="verify"/> is given it reads the complete stored content (a seekable stream) before the file
    /// becomes visible; whatever it throws refuses the upload. On any failure or cancellation nothing stays.
    /// </summary>
    /// <param name="upload">What is recorded with the file; its name is sanitised (<see cref="FileNames.Display"/>).</param>
    Task<StoredFile> UploadAsync(string bucket, FileUpload upload, Stream content, long maxBytes,
        Func<Stream, CancellationToken, Task>? verify = null, CancellationToken ct = default);

    /// <summary>The file, or null when there is none (or its upload has not completed).</summary>
    Task<StoredFile?> FindAsync(string bucket, Guid id, CancellationToken ct = default);

    /// <summary>
    /// The files of one owner, oldest first. Not paged: endpoints hold a resource to
    /// <see cref="FileStorageOptions.MaxFilesPerResource"/> files.
    /// </summary>
    Task<IReadOnlyList<StoredFile>> ListAsync(string bucket, string ownerKey, CancellationToken ct = default);

    Task<int> CountAsync(string bucket, string ownerKey, CancellationToken ct = default);

    /// <summary>
    /// The file's content as a read-only, <em>seekable</em> stream (a seek loads only the chunk it lands in), so
    /// a download can answer HTTP range requests (<c>TypedResults.Stream(..., enableRangeProcessing: true)</c>);
    /// null when there is no such file. The caller disposes it.
    /// </summary>
    Task<Stream?> OpenReadAsync(string bucket, Guid id, CancellationToken ct = default);

    /// <returns>whether there was such a file.</returns>
    Task<bool> DeleteAsync(string bucket, Guid id, CancellationToken ct = default);

    /// <summary>
    /// Removes what uploads started more than <paramref name="olderThan"/> ago and never published left behind
    /// (chunks, an unpublished file record). The age should exceed the longest upload: a sweep does not know a slow
    /// upload from a dead one, and an upload it removed while still running fails (<see cref="UploadAbandonedException"/>, 408)
    /// rather than publish a file with chunks missing.
    /// </summary>
    /// <returns>how many abandoned uploads it removed.</returns>
    Task<int> SweepPartialAsync(TimeSpan olderThan, CancellationToken ct = default);
}

/// <summary>What an upload records beside the content.</summary>
public sealed record FileUpload
{
    /// <summary>The resource the file belongs to, e.g. the listing's id.</summary>
    public required string OwnerKey { get; init; }

    /// <summary>The file's role for its resource, e.g. <c>patent_certificate</c>, <c>contract_text</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The name the uploader gave (sanitised before it is stored).</summary>
    public required string Name { get; init; }

    /// <summary>The user's subject.</summary>
    public required string UploadedBy { get; init; }

    /// <summary>Recorded as given; <see cref="UploadChecks.UploadCheckedAsync"/> sets it from the content.</summary>
    public string ContentType { get; init; } = "application/octet-stream";
}

/// <summary>A stored, complete file.</summary>
/// <param name="Name">The sanitised original name, for display and <c>Content-Disposition</c>.</param>
/// <param name="Sha256">Lower-case hex, as <c>sha256sum</c> prints it.</param>
public sealed record StoredFile(
    Guid Id, string Bucket, string OwnerKey, string Kind, string Name, string ContentType,
    long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>413: the file is larger than allowed; nothing of it was kept.</summary>
public sealed class FileTooLargeException(long maxBytes)
    : DomainException($"文件不能超过 {FileSizes.Describe(maxBytes)} / The file is larger than {FileSizes.Describe(maxBytes)}.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>408: the upload ran so long that the sweep removed it as abandoned; nothing of it was kept.</summary>
public sealed class UploadAbandonedException()
    : DomainException("上传耗时过长，已作废，请重新上传 / The upload ran longer than Storage:Files:AbandonedAfter and was removed as abandoned; send it again.");

/// <summary>File sizes as the market writes them in messages.</summary>
public static class FileSizes
{
    /// <summary>"20 MB", "512 KB", "100 bytes" (binary units, as file managers show them).</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}

/// <summary>What both adapters share: bucket names, the streaming copy, the journal's fields.</summary>
internal static partial class FileStoreParts
{
    /// <summary>The collection that journals running uploads (id, bucket, start), in both adapters.</summary>
    public const string Journal = "file_uploads";

    /// <summary>Bucket names become collection names (<c>{bucket}_files</c>, <c>{bucket}.chunks</c>).</summary>
    public static string CheckBucket(string bucket) =>
        BucketName().IsMatch(bucket) ? bucket : throw new ArgumentException($"Bad bucket name '{bucket}': lower-case letters, digits and '_', starting with a letter.", nameof(bucket));

    /// <summary>An upload that ran past the sweep's age was removed as abandoned while it still ran; it is not published.</summary>
    public static UploadAbandonedException Swept() => new();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex BucketName();

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="write"/> in pieces of exactly <paramref name="chunkSize"/>
    /// bytes (the last may be shorter), hashing and counting on the way; throws <see cref="FileTooLargeException"/>
    /// as soon as more than <paramref name="maxBytes"/> arrived. One chunk is held at a time.
    /// </summary>
    public static async Task<(long Size, string Sha256)> CopyAsync(Stream source, int chunkSize, long maxBytes,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            long size = 0;
            while (true)
            {
                var filled = 0;
                while (filled < chunkSize)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(filled, chunkSize - filled), ct);
                    if (read == 0) break;
                    filled += read;
                    size += read;
                    if (size > maxBytes) throw new FileTooLargeException(maxBytes);
                }
                if (filled == 0) break;
                hash.AppendData(buffer, 0, filled);
                await write(buffer.AsMemory(0, filled), ct);
                if (filled < chunkSize) break;
            }
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
