using QRCoder;

namespace Marketplace.Portal.Components.Shared;

/// <summary>QR codes as PNG data URIs (no request to anyone else, prints with the page).</summary>
public static class QrCodes
{
    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
