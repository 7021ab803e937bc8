using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Validation;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>A type of file the market keeps, known by its first bytes.</summary>
public sealed class FileType
{
    public static readonly FileType Pdf = new("application/pdf", "PDF", [".pdf"]);
    public static readonly FileType Png = new("image/png", "PNG", [".png"]);
    public static readonly FileType Jpeg = new("image/jpeg", "JPEG", [".jpg", ".jpeg"]);

    private FileType(string contentType, string label, string[] extensions) =>
        (ContentType, Label, Extensions) = (contentType, label, extensions);

    public string ContentType { get; }
    public string Label { get; }

    /// <summary>The name endings for this type; the first is added to a name that has none of them.</summary>
    public IReadOnlyList<string> Extensions { get; }

    public override string ToString() => Label;
}

/// <summary>415: the content is none of the types the market keeps (whatever its name says); nothing was kept.</summary>
public sealed class UnsupportedFileTypeException(string message) : DomainException(message);

/// <summary>
/// What an upload must be before it is kept: PDF, PNG or JPEG by its <em>content</em> (the first bytes, never the
/// name or the declared type), and a PDF must open and have a page. <see cref="UploadCheckedAsync"/> is the one call
/// an upload endpoint makes.
/// </summary>
/// <remarks>
/// The type is sniffed from the head of the stream before anything is stored. Whether a PDF opens can only be told
/// from the whole file, and a PDF's cross-reference table sits at its end: rather than hold the upload in memory, the
/// check reads the stored, still hidden file (a seekable stream over its chunks) just before it is published, and a
/// PDF that fails is removed without ever having been visible (<see cref="IFileStore.UploadAsync"/>'s verify step).
/// </remarks>
public static class UploadChecks
{
    /// <summary>The bytes read to tell the type.</summary>
    public const int HeadLength = 8;

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    /// <summary>The type the content's first bytes declare, or null when it is none the market keeps.</summary>
    public static FileType? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith(PdfMagic) ? FileType.Pdf
        : head.StartsWith(PngMagic) ? FileType.Png
        : head.StartsWith(JpegMagic) ? FileType.Jpeg
        : null;

    /// <summary>
    /// Reads the head of <paramref name="content"/> and tells its type; throws <see cref="UnsupportedFileTypeException"/>
    /// when it is none the market keeps. The returned stream yields the whole content again, head included.
    /// </summary>
    public static async Task<(FileType Type, Stream Content)> SniffAsync(Stream content, CancellationToken ct = default)
    {
        var head = new byte[HeadLength];
        var filled = 0;
        while (filled < head.Length)
        {
            var read = await content.ReadAsync(head.AsMemory(filled), ct);
            if (read == 0) break;
            filled += read;
        }
        var type = Sniff(head.AsSpan(0, filled)) ?? throw new UnsupportedFileTypeException(RefusalOf(head.AsSpan(0, filled)));
        return (type, new ReplayedHeadStream(head.AsMemory(0, filled), content));
    }

    /// <summary>Why a PDF cannot be kept, in Chinese and in English, or null when it opens and has a page.</summary>
    /// <param name="pdf">A seekable stream (PdfPig would copy any other into memory).</param>
    public static (string Chinese, string English)? PdfProblem(Stream pdf)
    {
        try
        {
            using var document = PdfDocument.Open(pdf);
            return document.NumberOfPages >= 1 ? null : ("PDF 文件没有任何页面", "The PDF has no pages");
        }
        catch (PdfDocumentEncryptedException)
        {
            return ("PDF 文件有打开密码，请上传未加密的文件", "The PDF needs a password to open; upload it without one");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // PdfPig answers damaged input with many kinds of exception; each means the same to the uploader
            return ("PDF 文件已损坏，无法打开", "The PDF is damaged and cannot be opened");
        }
    }

    /// <summary>A verify step for <see cref="IFileStore.UploadAsync"/>: refuses (400, field <c>file</c>) a PDF that does not open or has no page.</summary>
    public static Task VerifyPdfAsync(Stream stored, CancellationToken ct)
    {
        if (PdfProblem(stored) is { } problem)
            throw ValidationFailedException.For("file", $"{problem.Chinese} / {problem.English}.");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Checks and stores one upload: refuses a type the market does not keep (<see cref="UnsupportedFileTypeException"/>,
    /// 415) before anything is written, streams the rest (<see cref="FileTooLargeException"/>, 413, past
    /// <paramref name="maxBytes"/>), and refuses a PDF that does not open or has no page (<see cref="ValidationFailedException"/>,
    /// 400) before it becomes visible. The content type is the sniffed one, and the name gets the type's extension
    /// when it has none of them (a PDF named <c>scan.exe</c> is kept as <c>scan.exe.pdf</c>). On every refusal nothing is kept.
    /// </summary>
    public static async Task<StoredFile> UploadCheckedAsync(this IFileStore store, string bucket, FileUpload upload, Stream content,
        long maxBytes, CancellationToken ct = default)
    {
        var (type, sniffed) = await SniffAsync(content, ct);
        var typed = upload with { Name = FileNames.WithExtension(FileNames.Display(upload.Name), type), ContentType = type.ContentType };
        return await store.UploadAsync(bucket, typed, sniffed, maxBytes, type == FileType.Pdf ? VerifyPdfAsync : null, ct);
    }

    private static string RefusalOf(ReadOnlySpan<byte> head)
    {
        var what = head switch
        {
            [] => ("文件是空的", "the file is empty"),
            [0x7F, (byte)'E', (byte)'L', (byte)'F', ..] => ("这是一个程序（ELF 可执行文件）", "this is a program (an ELF executable)"),
            [(byte)'M', (byte)'Z', ..] => ("这是一个程序（Windows 可执行文件）", "this is a program (a Windows executable)"),
            [(byte)'P', (byte)'K', 0x03, 0x04, ..] => ("这是一个压缩包（Word、Excel 文件也是），请另存为 PDF", "this is a ZIP archive (so are Word and Excel files): save it as PDF"),
            _ => ("文件内容不是 PDF、PNG 或 JPEG", "its content is not PDF, PNG or JPEG"),
        };
        return $"只接受 PDF、PNG、JPEG 文件（按文件内容判断，而非文件名）：{what.Item1} / "
            + $"Only PDF, PNG and JPEG files are accepted, judged by their content, not their name: {what.Item2}.";
    }

    /// <summary>The bytes read to sniff the type, then the rest of the original stream.</summary>
    private sealed class ReplayedHeadStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_head.IsEmpty) return rest.Read(buffer);
            var count = Math.Min(buffer.Length, _head.Length);
            _head.Span[..count].CopyTo(buffer);
            _head = _head[count..];
            return count;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_head.IsEmpty) return await rest.ReadAsync(buffer, cancellationToken);
            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The name a stored file is shown and downloaded under.</summary>
public static partial class FileNames
{
    /// <summary>The most user-perceived characters a name keeps (its extension kept whole).</summary>
    public const int MaxLength = 120;

    /// <summary>
    /// The uploader's name made safe to show and to send in <c>Content-Disposition</c>: the last segment of a path
    /// (either separator), in normal form C, without what <see cref="UserText"/> keeps out of user text (control,
    /// bidirectional and invisible characters: U+202E makes "invoice" + U+202E + "fdp.exe" read "invoiceexe.pdf"),
    /// with characters Windows cannot save (<c>&lt;&gt;:"|?*</c>) as <c>_</c>, runs of white space as one space,
    /// no leading or trailing dots or spaces, at most <see cref="MaxLength"/> characters; <c>file</c> when nothing is left.
    /// </summary>
    public static string Display(string? name)
    {
        var text = UserText.Normalize(name) ?? "";
        text = text[(text.LastIndexOfAny(['/', '\\']) + 1)..];
        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*') kept.Append('_');
            else if (Rune.IsWhiteSpace(rune)) kept.Append(' ');
            else if (UserText.Problem(rune.ToString(), prose: false) is null) kept.Append(rune.ToString());
        }
        var clean = Spaces().Replace(kept.ToString(), " ").Trim(' ', '.');
        return clean.Length == 0 ? "file" : Shorten(clean);
    }

    /// <summary><paramref name="name"/>, with the type's first extension added when it ends in none of the type's.</summary>
    public static string WithExtension(string name, FileType type) =>
        type.Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? name : Shorten(name + type.Extensions[0]);

    private static string Shorten(string name)
    {
        var info = new StringInfo(name);
        if (info.LengthInTextElements <= MaxLength) return name;
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 10 ? name[dot..] : "";
        var stem = new StringInfo(name[..(name.Length - extension.Length)]);
        return stem.SubstringByTextElements(0, MaxLength - new StringInfo(extension).LengthInTextElements).TrimEnd(' ', '.') + extension;
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
