using System.Net;
using System.Text;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>The limit on request bodies, on a real Kestrel (the in-process test server has no connections to reuse).</summary>
public sealed class OversizeBodyTests
{
    private sealed record Thing(string Name);

    /// <summary>
    /// A 413 given before the body is read must end the connection: a client that sent its next request on it lost
    /// that request to a broken pipe (the distributed document test failed so, right after its 413 probe).
    /// </summary>
    [Fact]
    public async Task A_body_declared_too_large_is_refused_with_413_and_its_connection_is_never_reused()
    {
        var port = ServiceProcess.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapPost("/things", (Thing thing) => Results.Ok(thing));
        await app.StartAsync();

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 20; i++)
        {
            var refused = await client.PostAsync("/things", new StringContent($"{{\"name\":\"{new string('x', 1024 * 1024)}\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(refused.Headers.ConnectionClose, "the 413 must say that its connection ends");

            // the next request, at once, goes on a connection of its own and gets its answer
            var accepted = await client.PostAsync("/things", new StringContent("{\"name\":\"专利\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        await app.StopAsync();
    }
}
