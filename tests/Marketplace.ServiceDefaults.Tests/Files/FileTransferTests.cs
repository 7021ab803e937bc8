using System.Text;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Tests.Files;

/// <summary>
/// The HTTP side of files (<see cref="FileTransfer"/>) where a route cannot be driven into the case: a store failing
/// under an upload, a file removed between the look-up of its download and the reading of its content.
/// </summary>
public sealed class FileTransferTests : IDisposable
{
    private const string Boundary = "market-boundary";
    private static readonly MarketUser Uploader = new("uni@transfer", Roles.University, "transfer-uni", "潇湘大学", "changsha", "张老师");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "file-transfer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static HttpRequest Upload(byte[] file, bool cutOff = false)
    {
        var head = Encoding.UTF8.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncontract_text\r\n" +
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
        var tail = cutOff ? [] : Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n");
        var context = new DefaultHttpContext();
        context.Request.ContentType = $"multipart/form-data; boundary={Boundary}";
        context.Request.Body = new MemoryStream([.. head, .. file, .. tail]);
        return context.Request;
    }

    private static Task<AttachedFile> Receive(IFileStore store, HttpRequest request) =>
        store.ReceiveAndRecordAsync(request, "documents", "contract-1", Uploader, ["contract_text"], 1024 * 1024,
            check: () => Task.CompletedTask, record: _ => Task.CompletedTask, isRecorded: _ => Task.FromResult(false), CancellationToken.None);

    [Fact]
    public async Task A_store_failing_under_an_upload_is_the_markets_fault_not_a_malformed_request()
    {
        var store = new DiskFullStore();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Receive(store, Upload(SampleFiles.Pdf())));

        // a 400 would tell the uploader their file is broken; the handler answers an IOException as a 500
        Assert.IsNotType<ValidationFailedException>(failure);
        Assert.Equal(500, ProblemDetailsExceptionHandler.Map(failure).Status);
        Assert.True(store.ReadSome, "the store had begun to read the file");
    }

    [Fact]
    public async Task A_body_cut_off_in_the_file_is_still_a_malformed_request()
    {
        using var documents = new LiteDbDocumentStore(Path.Combine(_directory, "cut.db"));
        var store = new LiteDbFileStore(documents);

        var failure = await Assert.ThrowsAsync<ValidationFailedException>(() => Receive(store, Upload(SampleFiles.Pdf(), cutOff: true)));

        Assert.Contains("body", failure.Errors.Keys);
        Assert.Equal(0, await store.CountAsync("documents", "contract-1"));
    }

    [Fact]
    public async Task A_file_removed_while_its_download_is_made_is_404_not_500()
    {
        using var documents = new LiteDbDocumentStore(Path.Combine(_directory, "race.db"));
        var store = new LiteDbFileStore(documents);
        var stored = await store.UploadCheckedAsync("documents", new FileUpload
        {
            OwnerKey = "contract-1", Kind = "contract_text", Name = "合同.pdf", UploadedBy = Uploader.Subject,
        }, new MemoryStream(SampleFiles.Pdf()), 1024 * 1024);
        var context = Context();
        var result = await store.DownloadAsync("documents", AttachedFile.Of(stored, Uploader), download: false, context.Response, CancellationToken.None);

        await store.DeleteAsync("documents", stored.Id); // the owner's removal wins the race

        var failure = await Assert.ThrowsAsync<NotFoundException>(() => result.ExecuteAsync(context));
        Assert.Contains(stored.Id.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.False(context.Response.HasStarted);
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_416_with_problem_details_and_the_files_length()
    {
        using var documents = new LiteDbDocumentStore(Path.Combine(_directory, "range.db"));
        var store = new LiteDbFileStore(documents);
        var pdf = SampleFiles.Pdf();
        var stored = await store.UploadCheckedAsync("documents", new FileUpload
        {
            OwnerKey = "contract-1", Kind = "contract_text", Name = "合同.pdf", UploadedBy = Uploader.Subject,
        }, new MemoryStream(pdf), 1024 * 1024);
        var context = Context();
        context.Request.Method = HttpMethods.Get;
        context.Request.Headers.Range = $"bytes={pdf.Length + 10}-";
        var body = new MemoryStream();
        context.Response.Body = body;

        var result = await store.DownloadAsync("documents", AttachedFile.Of(stored, Uploader), download: false, context.Response, CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(416, context.Response.StatusCode);
        Assert.Equal($"bytes */{pdf.Length}", context.Response.Headers.ContentRange.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        var problem = System.Text.Json.JsonDocument.Parse(body.ToArray()).RootElement;
        Assert.Equal(416, problem.GetProperty("status").GetInt32());
        Assert.Contains("range", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    private static DefaultHttpContext Context()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services };
    }

    /// <summary>A store whose disk fills up while it writes a file: it reads a little of the content, then fails as a full disk does.</summary>
    private sealed class DiskFullStore : IFileStore
    {
        public bool ReadSome { get; private set; }

        public string Kind => "disk-full";

        public async Task<StoredFile> UploadAsync(string bucket, FileUpload upload, Stream content, long maxBytes,
            Func<Stream, CancellationToken, Task>? verify = null, CancellationToken ct = default)
        {
            ReadSome = await content.ReadAsync(new byte[64], ct) > 0;
            throw new IOException("No space left on device");
        }

        public Task<StoredFile?> FindAsync(string bucket, Guid id, CancellationToken ct = default) => Task.FromResult<StoredFile?>(null);

        public Task<IReadOnlyList<StoredFile>> ListAsync(string bucket, string ownerKey, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<StoredFile>>([]);

        public Task<int> CountAsync(string bucket, string ownerKey, CancellationToken ct = default) => Task.FromResult(0);

        public Task<Stream?> OpenReadAsync(string bucket, Guid id, CancellationToken ct = default) => Task.FromResult<Stream?>(null);

        public Task<bool> DeleteAsync(string bucket, Guid id, CancellationToken ct = default) => Task.FromResult(false);

        public Task<int> SweepPartialAsync(TimeSpan olderThan, CancellationToken ct = default) => Task.FromResult(0);
    }
}
