using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Tests.Files;

/// <summary>How a service gets its file store: <c>AddFileStore(storeKey)</c>, configured under <c>Storage</c>.</summary>
public sealed class FileStoreWiringTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "file-wiring-" + Guid.NewGuid().ToString("N"));

    private HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
            new[] { ("Storage:DataDirectory", _directory) }.Concat(settings).Select(s => KeyValuePair.Create(s.Item1, (string?)s.Item2)));
        return builder;
    }

    [Fact]
    public async Task A_service_keeps_its_files_in_its_own_LiteDB_file_beside_its_documents()
    {
        var builder = Builder();
        builder.AddFileStore("registration");
        using (var host = builder.Build())
        {
            var documents = host.Services.GetRequiredKeyedService<IDocumentStore>("registration");
            var files = host.Services.GetRequiredKeyedService<IFileStore>("registration");
            Assert.IsType<LiteDbFileStore>(files);

            await documents.InsertAsync("contracts", new StoredDocument { Id = "contract-1", Body = "{}" });
            using var content = new GeneratedContent(1000);
            var stored = await files.UploadAsync("documents", new FileUpload { OwnerKey = "contract-1", Kind = "contract_text", Name = "合同.pdf", UploadedBy = "u" }, content, 2000);
            Assert.NotNull(await documents.GetAsync("contracts", "contract-1"));
            Assert.Equal(stored, await files.FindAsync("documents", stored.Id));
        }

        Assert.Equal(["registration.db"], Directory.GetFiles(_directory).Select(Path.GetFileName).Where(f => !f!.EndsWith("-log.db", StringComparison.Ordinal)));
        using var db = new LiteDB.LiteDatabase(Path.Combine(_directory, "registration.db"));
        Assert.Superset(new HashSet<string> { "contracts", "documents_files", "documents_chunks", "file_uploads" }, db.GetCollectionNames().ToHashSet());
    }

    [Fact]
    public void The_limits_default_to_20_MB_and_20_files_and_are_read_from_Storage_Files()
    {
        var defaults = Builder();
        defaults.AddFileStore("listing");
        using (var host = defaults.Build())
        {
            var options = host.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value;
            Assert.Equal((20L * 1024 * 1024, 20), (options.MaxFileBytes, options.MaxFilesPerResource));
        }

        var configured = Builder(("Storage:Files:MaxFileBytes", "1048576"), ("Storage:Files:MaxFilesPerResource", "5"), ("Storage:Files:AbandonedAfter", "00:30:00"));
        configured.AddFileStore("listing");
        using (var host = configured.Build())
        {
            var options = host.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value;
            Assert.Equal((1048576L, 5, TimeSpan.FromMinutes(30)), (options.MaxFileBytes, options.MaxFilesPerResource, options.AbandonedAfter));
        }
    }

    [Fact]
    public void A_limit_that_is_not_positive_stops_the_start()
    {
        var builder = Builder(("Storage:Files:MaxFileBytes", "0"));
        builder.AddFileStore("listing");
        using var host = builder.Build();

        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value);
    }

    [Fact]
    public void Adding_the_file_store_twice_registers_it_once_and_each_service_gets_its_own()
    {
        var builder = Builder();
        builder.AddFileStore("listing");
        builder.AddFileStore("listing");
        builder.AddFileStore("registration");

        Assert.Equal(2, builder.Services.Count(d => d.ServiceType == typeof(IFileStore)));
        Assert.Equal(2, builder.Services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null));
        using var host = builder.Build();
        Assert.NotSame(host.Services.GetRequiredKeyedService<IFileStore>("listing"), host.Services.GetRequiredKeyedService<IFileStore>("registration"));
        Assert.Single(host.Services.GetServices<IConfigureOptions<FileStorageOptions>>());
    }

    [Fact]
    public async Task The_sweep_removes_uploads_abandoned_longer_than_configured()
    {
        using var documents = new LiteDbDocumentStore(Path.Combine(_directory, "listing.db"));
        var clock = new TestClock();
        var files = new LiteDbFileStore(documents, clock);
        var sweep = new PartialUploadSweep(files, new FileStorageOptions { AbandonedAfter = TimeSpan.FromMinutes(30) }, clock, NullLogger<PartialUploadSweep>.Instance);
        var stalled = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        using var content = new GeneratedContent(2 * LiteDbFileStore.ChunkSize).At(LiteDbFileStore.ChunkSize + 1, async () =>
        {
            stalled.SetResult();
            await release.Task;
        });
        var upload = files.UploadAsync("attachments", new FileUpload { OwnerKey = "l", Kind = "brochure", Name = "b.pdf", UploadedBy = "u" }, content, 10_000_000);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Now += TimeSpan.FromMinutes(20);
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));
        clock.Now += TimeSpan.FromMinutes(20);
        Assert.Equal(1, await sweep.SweepAsync(CancellationToken.None));
        Assert.Equal(0, documents.WithDatabase(db => db.GetCollection("attachments_chunks").Count()));

        release.SetException(new IOException("connection reset"));
        await Assert.ThrowsAsync<IOException>(() => upload);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
