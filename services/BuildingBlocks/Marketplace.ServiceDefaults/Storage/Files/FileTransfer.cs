using System.Text;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Microsoft.Net.Http.Headers;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>415: the request body is not of the media type the route reads.</summary>
public sealed class UnsupportedMediaTypeException(string message) : DomainException(message);

/// <summary>
/// The request-body limit of a route that takes a file (the 1 MiB of the JSON routes stays everywhere else):
/// <see cref="HostingExtensions.UseServiceDefaults"/> applies it to the route's requests.
/// </summary>
public sealed class FileUploadLimit(long maxFileBytes) : IRequestSizeLimitMetadata
{
    /// <summary>Room for the multipart envelope around the file: boundaries, part headers, the kind field.</summary>
    public const long Envelope = 64 * 1024;

    public long? MaxRequestBodySize { get; } = maxFileBytes + Envelope;
}

/// <summary>
/// Upload and download of one resource's files over HTTP. An upload is <c>multipart/form-data</c> with one file a
/// request: the form field <c>kind</c> first, then the file field <c>file</c>, as the last field (the rule S3's
/// browser uploads have). The order lets the kind be checked before a byte of the file is stored, and the file be
/// streamed from the request straight into the store, never held whole in memory.
/// </summary>
public static class FileTransfer
{
    public const string KindField = "kind";
    public const string FileField = "file";

    private const int MaxFieldBytes = 256;

    /// <summary>
    /// The route takes one file: its body may be that large, and its form is described in the OpenAPI document. (Not
    /// with <c>Accepts</c>, whose routing answers 415 before who may call the route is known: the handler answers a
    /// body that is not multipart itself, after 401, 403 and 404.)
    /// </summary>
    public static RouteHandlerBuilder AcceptsFileUpload(this RouteHandlerBuilder route, long maxFileBytes, IReadOnlyCollection<string> kinds) =>
        route.WithMetadata(new FileUploadLimit(maxFileBytes)).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "kind 在前，file 为最后一个字段 / kind first, file as the last field",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { KindField, FileField },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                [KindField] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. kinds.Select(k => (System.Text.Json.Nodes.JsonNode)k!)] },
                                [FileField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = $"PDF, PNG or JPEG, at most {FileSizes.Describe(maxFileBytes)}" },
                            },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });

    /// <summary>
    /// Reads the upload of <paramref name="request"/> and stores its file, checked (<see cref="UploadChecks.UploadCheckedAsync"/>),
    /// for <paramref name="ownerKey"/>. Refuses, with nothing kept: a body that is not multipart (415); a missing,
    /// repeated or unknown field, a kind not in <paramref name="kinds"/>, the file before its kind, a second file,
    /// a malformed body (400, naming the field); and whatever the checks refuse (413, 415, 400).
    /// </summary>
    /// <param name="kinds">The kinds the resource takes, as sent (wire codes).</param>
    private static async Task<StoredFile> ReceiveAsync(this IFileStore store, HttpRequest request, string bucket, string ownerKey,
        MarketUser user, IReadOnlyCollection<string> kinds, long maxBytes, CancellationToken ct)
    {
        var boundary = Boundary(request);
        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        string? kind = null;
        StoredFile? stored = null;
        var inStore = false;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (stored is not null)
                    throw ValidationFailedException.For(FileField, "每次只能上传一个文件，且 file 须为表单的最后一个字段 / One file a request, and file must be the form's last field.");
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw ValidationFailedException.For("body", "表单的每个部分都须有 Content-Disposition: form-data / Every part needs Content-Disposition: form-data.");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                switch (name)
                {
                    case KindField:
                        if (kind is not null) throw ValidationFailedException.For(KindField, "kind 只能发送一次 / Send kind once.");
                        kind = await ReadFieldAsync(section.Body, ct);
                        if (!kinds.Contains(kind, StringComparer.Ordinal))
                            throw ValidationFailedException.For(KindField, $"未知的文件类型“{Shown(kind)}”，可选：{string.Join("、", kinds)} / Unknown kind '{Shown(kind)}'; one of: {string.Join(", ", kinds)}.");
                        break;
                    case FileField:
                        if (!disposition.IsFileDisposition())
                            throw ValidationFailedException.For(FileField, "file 字段须是一个带文件名的文件 / The file field must be a file with a file name.");
                        if (kind is null)
                            throw ValidationFailedException.For(KindField, "缺少 kind：须在 file 之前发送 / kind is missing: send it before the file.");
                        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                        inStore = true;
                        stored = await store.UploadCheckedAsync(bucket, new FileUpload
                        {
                            OwnerKey = ownerKey, Kind = kind, Name = fileName ?? "", UploadedBy = user.Subject,
                        }, new UploadBodyStream(section.Body), maxBytes, ct);
                        inStore = false;
                        break;
                    default:
                        throw ValidationFailedException.For(Shown(name ?? ""), $"未知的表单字段“{Shown(name ?? "")}”，只接受 kind 和 file / Unknown form field; only kind and file are read.");
                }
            }
        }
        catch (Exception e) when (stored is not null)
        {
            // the file is complete in the store but no resource lists it: remove it, whatever went wrong after it
            await ForgetAsync(store, bucket, stored.Id);
            if (IsMalformedBody(e, inStore) && !ct.IsCancellationRequested) throw Malformed();
            throw;
        }
        catch (Exception e) when (IsMalformedBody(e, inStore) && !ct.IsCancellationRequested)
        {
            throw Malformed();
        }
        if (stored is null)
            throw ValidationFailedException.For(FileField, kind is null ? "缺少 kind 和 file 字段 / The form needs kind and file." : "缺少 file 字段：没有收到文件 / No file was sent (field file).");
        return stored;
    }

    /// <summary>
    /// What every upload route does, in this order: <paramref name="check"/> who may upload, the resource's state and
    /// its room, before a byte is stored; store the file (<see cref="ReceiveAsync"/>); <paramref name="record"/> it on
    /// the resource, which checks the state and the room again under the resource's version. Should recording fail
    /// (a racing upload took the last slot, the resource was submitted meanwhile), the stored file is removed again,
    /// unless <paramref name="isRecorded"/> finds it recorded after all. A refusal before the file is stored reads the
    /// rest of the body first.
    /// </summary>
    public static async Task<AttachedFile> ReceiveAndRecordAsync(this IFileStore store, HttpRequest request, string bucket, string ownerKey,
        MarketUser user, IReadOnlyCollection<string> kinds, long maxBytes, Func<Task> check, Func<AttachedFile, Task> record,
        Func<Guid, Task<bool>> isRecorded, CancellationToken ct)
    {
        StoredFile stored;
        try
        {
            await check();
            stored = await store.ReceiveAsync(request, bucket, ownerKey, user, kinds, maxBytes, ct);
        }
        catch (DomainException)
        {
            await request.DrainAsync(DrainTime);
            throw;
        }
        var file = AttachedFile.Of(stored, user);
        try
        {
            // not cancelled by the caller going away: a record written but reported as cancelled would list a file
            // whose content the catch below removed
            await record(file);
        }
        catch
        {
            if (!await IsRecordedAsync(isRecorded, file.Id)) await ForgetAsync(store, bucket, stored.Id);
            throw;
        }
        return file;
    }

    /// <summary>Whether the record holds the file after all (a write that succeeded but failed to say so); unknown counts as yes.</summary>
    private static async Task<bool> IsRecordedAsync(Func<Guid, Task<bool>> isRecorded, Guid id)
    {
        try
        {
            return await isRecorded(id);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // better a stored file nobody lists than a listed file without content
            return true;
        }
    }

    /// <summary>How long a refused upload's body is still read, so that a proxy still sending it (the gateway) answers the refusal, not 502.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What every removal does: <paramref name="unrecord"/> takes the file off its resource (checking who and the state),
    /// then its content goes; should that fail, the file is never served (no resource lists it).
    /// </summary>
    public static async Task RemoveRecordedAsync(this IFileStore store, string bucket, Func<Task<AttachedFile>> unrecord)
    {
        var removed = await unrecord();
        await ForgetAsync(store, bucket, removed.Id);
    }

    /// <summary>Removes a stored file no resource lists; a failure leaves it to nobody's harm (it is never served).</summary>
    public static async Task ForgetAsync(IFileStore store, string bucket, Guid id)
    {
        try
        {
            await store.DeleteAsync(bucket, id, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // an unlisted file is invisible; the removal is an economy, not a rule
        }
    }

    /// <summary>
    /// The file's content: its type, <c>Content-Disposition</c> (<c>inline</c> so a page can show it, <c>attachment</c>
    /// when <paramref name="download"/>), its SHA-256 as the ETag (so <c>If-None-Match</c> answers 304), and ranges
    /// (<see cref="FileDownloadResult"/>).
    /// </summary>
    public static async Task<FileDownloadResult> DownloadAsync(this IFileStore store, string bucket, AttachedFile file, bool download,
        HttpResponse response, CancellationToken ct)
    {
        var content = await store.OpenReadAsync(bucket, file.Id, ct) ?? throw ContentGone(file.Id);
        var disposition = new ContentDispositionHeaderValue(download ? "attachment" : "inline");
        disposition.SetHttpFileName(file.Name);
        response.Headers.ContentDisposition = disposition.ToString();
        // access-controlled: kept by the browser only, and checked again (cheaply, by ETag) before reuse
        response.Headers.CacheControl = "private, no-cache";
        return new FileDownloadResult(
            TypedResults.Stream(content, file.ContentType, lastModified: file.UploadedAt,
                entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true),
            file.Id, async () => await store.FindAsync(bucket, file.Id, CancellationToken.None) is null);
    }

    internal static NotFoundException ContentGone(Guid id) =>
        new($"文件 {id} 的内容不存在（可能刚被删除）/ The content of file {id} is missing (it may just have been removed).");

    private static string Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedMediaTypeException("上传文件须使用 multipart/form-data / Upload the file as multipart/form-data.");
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
            throw ValidationFailedException.For("body", "multipart/form-data 缺少有效的 boundary / multipart/form-data needs a boundary of 1 to 70 characters.");
        return boundary;
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) break;
            filled += read;
        }
        if (filled > MaxFieldBytes) throw ValidationFailedException.For(KindField, "kind 的值过长 / kind is too long.");
        return Encoding.UTF8.GetString(buffer, 0, filled).Trim();
    }

    /// <summary>
    /// Whether <paramref name="e"/> says the request's body is broken (cut off, not multipart as declared): a failure
    /// reading the body, never one of the store (a full disk is the market's fault, a 500, not the caller's 400).
    /// The multipart reader reads the body itself; the file's part reaches the store through <see cref="UploadBodyStream"/>,
    /// which marks its failures.
    /// </summary>
    private static bool IsMalformedBody(Exception e, bool inStore) => e switch
    {
        UploadBodyException => true,
        BadHttpRequestException => false, // Kestrel's own answer (413 past the limit, 400 for a bad chunk): kept
        _ => !inStore && e is InvalidDataException or IOException,
    };

    /// <summary>A failure reading the upload's body while the store read it (<see cref="UploadBodyStream"/>).</summary>
    private sealed class UploadBodyException(Exception inner) : IOException(inner.Message, inner);

    /// <summary>
    /// The file's part of the request as the store reads it: a failure reading it is marked as the body's
    /// (<see cref="UploadBodyException"/>), so that it is told apart from the store's own. Kestrel's refusals
    /// (<see cref="BadHttpRequestException"/>) and cancellation pass as they are.
    /// </summary>
    private sealed class UploadBodyStream(Stream body) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await body.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
            {
                throw new UploadBodyException(e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return body.Read(buffer, offset, count);
            }
            catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
            {
                throw new UploadBodyException(e);
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static ValidationFailedException Malformed() =>
        ValidationFailedException.For("body", "上传的表单格式有误或不完整 / The multipart body is malformed or incomplete.");

    /// <summary>A value echoed in a message: short, without controls.</summary>
    private static string Shown(string value)
    {
        var runes = value.EnumerateRunes().Where(r => !Rune.IsControl(r)).ToList();
        var clean = string.Concat(runes.Take(40).Select(r => r.ToString()));
        return runes.Count > 40 ? clean + "…" : clean;
    }
}

/// <summary>
/// A file's answer (<see cref="FileTransfer.DownloadAsync"/>): the stream with its ETag and ranges, and ProblemDetails where the
/// stream result alone would answer bare — a range beyond the end (416, with <c>Content-Range: bytes */length</c>)
/// and a file removed while its answer was being made (404, where its content failing to read would be a 500).
/// </summary>
public sealed class FileDownloadResult : IResult
{
    private readonly FileStreamHttpResult _content;
    private readonly Guid _id;
    private readonly Func<Task<bool>> _isGone;

    internal FileDownloadResult(FileStreamHttpResult content, Guid id, Func<Task<bool>> isGone) =>
        (_content, _id, _isGone) = (content, id, isGone);

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        try
        {
            await _content.ExecuteAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException && !response.HasStarted)
        {
            if (await GoneAsync()) throw FileTransfer.ContentGone(_id);
            throw;
        }
        if (response.StatusCode == StatusCodes.Status416RangeNotSatisfiable && !response.HasStarted)
        {
            response.ContentLength = null;
            response.ContentType = null;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status416RangeNotSatisfiable,
                    Type = ProblemDetailsExceptionHandler.TypeBase + "range-not-satisfiable",
                    Title = "请求的范围无效 / Range not satisfiable",
                    Detail = $"请求的字节范围超出文件长度（{response.Headers.ContentRange}）/ The requested range lies beyond the file's end ({response.Headers.ContentRange}).",
                },
            });
        }
    }

    private async Task<bool> GoneAsync()
    {
        try
        {
            return await _isGone();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // unknown: the original failure stands
        }
    }
}
