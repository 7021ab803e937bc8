namespace Marketplace.Portal.Api;

// What the portal reads of the files of listings and registration applications
// (/api/listings/{id}/attachments, /api/contracts/{id}/documents; see docs: the files API).

/// <summary>What a file is: a listing's attachment (专利证书, 宣传册, 照片) or an application's document (合同文本, 附件).</summary>
public enum FileKind { PatentCertificate, Brochure, Photo, ContractText, Annex }

/// <summary>A stored file, as the API describes it; its bytes are read through <see cref="FileOwner.PortalPath"/>.</summary>
public sealed record FileView
{
    public Guid Id { get; init; }
    public FileKind Kind { get; init; }
    public string Name { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long Size { get; init; }
    /// <summary>64 lower-case hex digits: what <c>sha256sum</c> prints for the downloaded file.</summary>
    public string Sha256 { get; init; } = "";
    public DateTimeOffset UploadedAt { get; init; }
    /// <summary>The uploader's name, else their username.</summary>
    public string? UploadedBy { get; init; }
}

/// <summary>A document a registration recorded, as the signed certificate states it.</summary>
public sealed record CertificateDocument(FileKind Kind, string Name, long Size, string Sha256);

/// <summary>
/// The resource that holds files — a listing or a registration application: where the API takes and
/// removes them, where the browser reads them (the portal's forwarding route, with the session's
/// token), and the kinds it holds.
/// </summary>
public sealed record FileOwner(string ApiPath, string PortalPath, IReadOnlyList<FileKind> Kinds)
{
    /// <summary>The API refuses larger files (413); the browser's stream is read to this size and no further.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    public static FileOwner Listing(Guid id) =>
        new($"/api/listings/{id}/attachments", $"/portal/files/listings/{id}", [FileKind.PatentCertificate, FileKind.Brochure, FileKind.Photo]);

    public static FileOwner Contract(Guid id) =>
        new($"/api/contracts/{id}/documents", $"/portal/files/contracts/{id}", [FileKind.ContractText, FileKind.Annex]);

    /// <summary>The file's bytes for the browser: shown in the page (inline), or saved (<c>download=true</c>).</summary>
    public string ContentOf(FileView file, bool download = false) => $"{PortalPath}/{file.Id}" + (download ? "?download=true" : "");
}
