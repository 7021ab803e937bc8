using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Marketplace.TestKit;

/// <summary>Files as people upload them, and the upload a client sends.</summary>
public static class SampleFiles
{
    /// <summary>A real PDF with text on each page, as PdfPig writes it.</summary>
    public static byte[] Pdf(int pages = 1, string text = "Technology contract")
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var i = 1; i <= pages; i++)
            builder.AddPage(PageSize.A4).AddText($"{text}, page {i}", 12, new PdfPoint(72, 720), font);
        return builder.Build();
    }

    /// <summary>A real PDF of at least <paramref name="minBytes"/> bytes: pages of dense text, as a long scanned-and-OCRed contract.</summary>
    public static byte[] LargePdf(int minBytes)
    {
        var line = string.Concat(Enumerable.Repeat("Clause text of the signed technology contract. ", 3));
        var pages = Math.Max(1, minBytes / 2400);
        while (true)
        {
            using var builder = new PdfDocumentBuilder();
            var font = builder.AddStandard14Font(Standard14Font.Courier);
            for (var i = 1; i <= pages; i++)
            {
                var page = builder.AddPage(PageSize.A4);
                for (var l = 0; l < 16; l++) page.AddText($"{i}.{l} {line}", 6, new PdfPoint(20, 800 - (l * 10)), font);
            }
            var pdf = builder.Build();
            if (pdf.Length >= minBytes) return pdf;
            // the writer's bytes per page are not known beforehand: grow in proportion, with a margin
            pages = (int)(pages * (minBytes * 1.1 / pdf.Length)) + 1;
        }
    }

    /// <summary>A PDF whose page tree is empty: well formed, nothing to read.</summary>
    public static byte[] PdfWithoutPages()
    {
        var text = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        foreach (var obj in new[] { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>" })
        {
            offsets.Add(text.Length);
            text.Append(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{obj}\nendobj\n");
        }
        var xref = text.Length;
        text.Append("xref\n0 3\n0000000000 65535 f \n");
        foreach (var offset in offsets) text.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        text.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The head of a PDF and then garbage: what a truncated or corrupted download looks like.</summary>
    public static byte[] BrokenPdf() => [.. "%PDF-1.7\n1 0 obj\n<< /Type /Catalog"u8.ToArray(), .. new byte[2000]];

    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>The start of a JPEG (SOI, then a JFIF APP0 segment).</summary>
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    /// <summary>A Linux program, as someone might rename it <c>.pdf</c>.</summary>
    public static readonly byte[] Elf = [0x7F, (byte)'E', (byte)'L', (byte)'F', 0x02, 0x01, 0x01, 0x00, .. new byte[4000]];

    /// <summary>
    /// Posts one file as an upload route reads it: <c>multipart/form-data</c>, the field <c>kind</c> first, then the
    /// file field <c>file</c> (a null <paramref name="kind"/> leaves the kind out).
    /// </summary>
    public static async Task<HttpResponseMessage> Upload(this HttpClient client, string url, string? token, string? kind, byte[] content,
        string fileName = "合同.pdf", string contentType = "application/pdf")
    {
        using var form = new MultipartFormDataContent();
        if (kind is not null) form.Add(new StringContent(kind), "kind");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>Attaches a one-page contract text to the application: what submitting needs.</summary>
    public static async Task AttachContractText(this HttpClient client, object contractId, string token)
    {
        var response = await client.Upload($"/api/contracts/{contractId}/documents", token, "contract_text", Pdf());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"Attaching the contract text: expected 201, got {(int)response.StatusCode}: {text}");
    }
}
