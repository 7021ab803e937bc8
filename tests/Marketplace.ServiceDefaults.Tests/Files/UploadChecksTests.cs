using System.Security.Cryptography;
using System.Text;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;

namespace Marketplace.ServiceDefaults.Tests.Files;

/// <summary>What an upload endpoint keeps and refuses, through <see cref="UploadChecks.UploadCheckedAsync"/> on a real store.</summary>
public sealed class UploadChecksTests : IDisposable
{
    private const string Bucket = "documents";
    private const long Limit = 20L * 1024 * 1024;

    private readonly string _path = Path.Combine(Path.GetTempPath(), "upload-checks-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly LiteDbDocumentStore _documents;
    private readonly LiteDbFileStore _files;

    public UploadChecksTests()
    {
        _documents = new LiteDbDocumentStore(_path);
        _files = new LiteDbFileStore(_documents);
    }

    private static FileUpload Upload(string name) =>
        new() { OwnerKey = "contract-1", Kind = "contract_text", Name = name, UploadedBy = "university-1" };

    private Task<StoredFile> Check(byte[] content, string name) =>
        _files.UploadCheckedAsync(Bucket, Upload(name), new MemoryStream(content), Limit);

    private async Task AssertNothingKept()
    {
        Assert.Equal(0, await _files.CountAsync(Bucket, "contract-1"));
        Assert.Equal(0, _documents.WithDatabase(db => db.GetCollection(Bucket + "_chunks").Count()));
        Assert.Equal(0, _documents.WithDatabase(db => db.GetCollection("file_uploads").Count()));
    }

    [Fact]
    public async Task A_one_page_PDF_is_kept_as_a_PDF_with_its_SHA256()
    {
        var pdf = SampleFiles.Pdf();

        var stored = await Check(pdf, "技术合同.pdf");

        Assert.Equal("application/pdf", stored.ContentType);
        Assert.Equal("技术合同.pdf", stored.Name);
        Assert.Equal(pdf.Length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), stored.Sha256);
        Assert.Equal(stored, Assert.Single(await _files.ListAsync(Bucket, "contract-1")));
    }

    [Fact]
    public async Task A_PDF_larger_than_a_chunk_is_checked_over_its_stored_chunks()
    {
        // many pages make a file of several chunks: the check reads the stored, still hidden file by seeking
        var pdf = SampleFiles.Pdf(pages: 2500);
        Assert.True(pdf.Length > 2 * LiteDbFileStore.ChunkSize, $"{pdf.Length} bytes");

        var stored = await Check(pdf, "annex.pdf");

        Assert.Equal(pdf.Length, stored.Size);
    }

    [Fact]
    public async Task The_type_comes_from_the_content_and_the_name_gets_its_extension()
    {
        var png = await Check(SampleFiles.Png, "photo.jpg");
        var jpeg = await Check(SampleFiles.Jpeg, "photo.JPEG");
        var pdf = await Check(SampleFiles.Pdf(), "scan.exe");

        Assert.Equal(("image/png", "photo.jpg.png"), (png.ContentType, png.Name));
        Assert.Equal(("image/jpeg", "photo.JPEG"), (jpeg.ContentType, jpeg.Name));
        Assert.Equal(("application/pdf", "scan.exe.pdf"), (pdf.ContentType, pdf.Name));
    }

    [Fact]
    public async Task An_executable_renamed_pdf_is_refused_before_anything_is_stored()
    {
        var content = new MemoryStream(SampleFiles.Elf);

        var refused = await Assert.ThrowsAsync<UnsupportedFileTypeException>(() =>
            _files.UploadCheckedAsync(Bucket, Upload("contract.pdf"), content, Limit));

        Assert.Contains("ELF", refused.Message, StringComparison.Ordinal);
        Assert.Contains("只接受 PDF、PNG、JPEG", refused.Message, StringComparison.Ordinal);
        Assert.Contains("judged by their content, not their name", refused.Message, StringComparison.Ordinal);
        Assert.Equal(UploadChecks.HeadLength, content.Position); // only the head was read
        await AssertNothingKept();
    }

    [Theory]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04 }, "a Windows executable")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08 }, "save it as PDF")]
    [InlineData(new byte[] { (byte)'<', (byte)'h', (byte)'t', (byte)'m', (byte)'l', (byte)'>', (byte)'h', (byte)'i' }, "its content is not PDF, PNG or JPEG")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D' }, "its content is not PDF, PNG or JPEG")]
    [InlineData(new byte[0], "the file is empty")]
    public async Task Other_content_is_refused_with_what_it_is(byte[] content, string reason)
    {
        var refused = await Assert.ThrowsAsync<UnsupportedFileTypeException>(() => Check(content, "contract.pdf"));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        await AssertNothingKept();
    }

    [Fact]
    public async Task A_file_that_starts_like_a_PDF_but_is_broken_is_refused_and_nothing_is_kept()
    {
        var broken = Encoding.ASCII.GetBytes("%PDF-1.7\n" + string.Concat(Enumerable.Repeat("not a pdf at all, only text. ", 20_000)));

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Check(broken, "contract.pdf"));

        Assert.Equal(["PDF 文件已损坏，无法打开 / The PDF is damaged and cannot be opened."], refused.Errors["file"]);
        await AssertNothingKept();
    }

    [Fact]
    public async Task A_PDF_cut_short_in_transfer_is_refused()
    {
        var pdf = SampleFiles.Pdf(pages: 3);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Check(pdf[..(pdf.Length / 3)], "contract.pdf"));

        Assert.Contains("damaged", Assert.Single(refused.Errors["file"]), StringComparison.Ordinal);
        await AssertNothingKept();
    }

    [Fact]
    public async Task A_PDF_without_pages_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Check(SampleFiles.PdfWithoutPages(), "empty.pdf"));

        Assert.Equal(["PDF 文件没有任何页面 / The PDF has no pages."], refused.Errors["file"]);
        await AssertNothingKept();
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_whatever_its_type()
    {
        var pdf = SampleFiles.Pdf(pages: 200);

        await Assert.ThrowsAsync<FileTooLargeException>(() =>
            _files.UploadCheckedAsync(Bucket, Upload("big.pdf"), new MemoryStream(pdf), maxBytes: pdf.Length - 1));

        await AssertNothingKept();
    }

    [Fact]
    public void The_size_limit_reads_in_megabytes()
    {
        Assert.Equal("文件不能超过 20 MB / The file is larger than 20 MB.", new FileTooLargeException(20L * 1024 * 1024).Message);
        Assert.Equal("1.5 MB", FileSizes.Describe(1536 * 1024));
        Assert.Equal("900 bytes", FileSizes.Describe(900));
    }

    [Theory]
    [InlineData("%PDF-1.4", "PDF")]
    [InlineData("%PDF-2.0", "PDF")]
    [InlineData("\u0089PNG\r\n\u001A\n", "PNG")]
    [InlineData("\u00FF\u00D8\u00FF\u00E1", "JPEG")]
    [InlineData("\u00FF\u00D8\u00FF\u00DB", "JPEG")]
    [InlineData("%PDF", null)]
    [InlineData(" %PDF-1.4", null)]
    [InlineData("GIF89a", null)]
    [InlineData("\u0089PNG\r\n", null)]
    public void Sniff_tells_a_type_by_its_first_bytes(string head, string? type)
    {
        Assert.Equal(type, UploadChecks.Sniff(Encoding.Latin1.GetBytes(head))?.Label);
    }

    [Fact]
    public async Task The_sniffed_stream_yields_the_whole_content_from_a_trickling_source()
    {
        var pdf = SampleFiles.Pdf();

        var (type, content) = await UploadChecks.SniffAsync(new Trickle(pdf));

        Assert.Equal(FileType.Pdf, type);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.Equal(pdf, copy.ToArray());
    }

    [Theory]
    [InlineData("合同.pdf", "合同.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\fakepath\\brochure.pdf", "brochure.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("report\u0000\u0007\u001B.pdf", "report.pdf")]
    [InlineData("zero\u200Bwidth\uFEFF.pdf", "zerowidth.pdf")]
    [InlineData("  two\t\tspaces  and\nlines .pdf  ", "two spaces and lines .pdf")]
    [InlineData("what?<is>:this|*\".pdf", "what__is__this___.pdf")]
    [InlineData("...", "file")]
    [InlineData(".htaccess", "htaccess")]
    [InlineData("trailing.dots...", "trailing.dots")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("e\u0301cole.pdf", "\u00E9cole.pdf")]
    public void A_file_name_is_kept_safe_to_show_and_to_download(string? given, string kept)
    {
        Assert.Equal(kept, FileNames.Display(given));
    }

    [Fact]
    public void A_long_name_is_shortened_keeping_its_extension()
    {
        var name = FileNames.Display(new string('专', 300) + ".pdf");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith("专.pdf", name, StringComparison.Ordinal);
        Assert.Equal(FileNames.MaxLength, FileNames.WithExtension(new string('a', FileNames.MaxLength), FileType.Pdf).Length);
        Assert.EndsWith(".pdf", FileNames.WithExtension(new string('a', FileNames.MaxLength), FileType.Pdf), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _documents.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileNameWithoutExtension(_path) + "*")) File.Delete(file);
    }

    /// <summary>A client sending one byte at a time.</summary>
    private sealed class Trickle(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == bytes.Length || count == 0) return 0;
            buffer[offset] = bytes[_position++];
            return 1;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
