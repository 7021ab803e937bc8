using System.Diagnostics;
using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>Embedded mode, through the gateway: a contract registered, its certificate checked offline with openssl.</summary>
public sealed class EmbeddedRegistrationTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>, IDisposable
{
    private readonly HttpClient _client = gateway.CreateClient();
    private readonly string _directory = Directory.CreateTempSubdirectory("certificate-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private static async Task<(int Exit, string Output)> OpenSsl(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task A_registered_contract_gets_a_16_digit_number_and_a_certificate_that_openssl_verifies()
    {
        var seller = await gateway.SignIn("demo-university");
        var registrar = await gateway.SignIn("demo-registrar");
        var tax = await gateway.SignIn("demo-tax");
        var draft = await (await _client.Send(HttpMethod.Post, "/api/contracts", seller,
            SampleData.PatentTransferContract("高镍三元正极材料制备技术转让合同", 2_000_000m, withCarrierCost: true))).Expect(201);
        Assert.True((bool)draft["isDemo"]!);
        await _client.AttachContractText(draft["id"]!, seller);
        await (await _client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(200);
        var registered = await (await _client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/register", registrar)).Expect(200);
        var number = (string)registered["registrationNumber"]!;
        Assert.Matches("^[0-9]{4}430101[0-9]{6}$", number);
        Assert.Equal("valid", (string)(await (await _client.Send(HttpMethod.Get, $"/api/verify/{number}")).Expect(200))["status"]!);

        var certificate = await (await _client.Send(HttpMethod.Get, $"/api/registrations/{number}/certificate", seller)).Expect(200);
        Assert.Equal("ES256", (string)certificate["algorithm"]!);
        var document = (string)certificate["document"]!;
        Assert.Equal(number, (string)JsonNode.Parse(document)!["registrationNumber"]!);
        Assert.Equal(2_000_000m, (decimal)JsonNode.Parse(document)!["technologyTransactionAmount"]!);
        await (await _client.Send(HttpMethod.Get, $"/api/registrations/{number}/certificate", tax)).Expect(200);
        await (await _client.Send(HttpMethod.Get, $"/api/registrations/{number}/certificate", await gateway.SignIn("demo-enterprise"))).Expect(403);

        // offline, as a tax office would: the published key, the signed text, the signature
        var key = Path.Combine(_directory, "registry.pem");
        await File.WriteAllTextAsync(key, await _client.GetStringAsync("/api/registrations/public-key"));
        var doc = Path.Combine(_directory, "certificate.json");
        var sig = Path.Combine(_directory, "certificate.sig");
        await File.WriteAllBytesAsync(doc, System.Text.Encoding.UTF8.GetBytes(document));
        await File.WriteAllBytesAsync(sig, Convert.FromBase64String((string)certificate["signature"]!));
        var verified = await OpenSsl($"dgst -sha256 -verify {key} -signature {sig} {doc}");
        Assert.True(verified.Exit == 0, verified.Output);
        Assert.Contains("Verified OK", verified.Output);

        var tampered = Path.Combine(_directory, "tampered.json");
        await File.WriteAllBytesAsync(tampered, System.Text.Encoding.UTF8.GetBytes(document.Replace("2000000", "9000000", StringComparison.Ordinal)));
        var refused = await OpenSsl($"dgst -sha256 -verify {key} -signature {sig} {tampered}");
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("Verification failure", refused.Output);
    }
}
