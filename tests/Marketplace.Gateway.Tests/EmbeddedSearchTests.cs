using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>Embedded mode: search over the in-process bus, and a search index rebuilt at every start.</summary>
public sealed class EmbeddedSearchTests
{
    /// <summary>The real embedded host on a loopback port, started and stopped explicitly (a restart is a new host on the same data).</summary>
    private static async Task<(WebApplication App, HttpClient Client)> Start(string directory)
    {
        var app = GatewayHost.Build([], builder =>
        {
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Configuration["Storage:DataDirectory"] = directory;
            builder.Configuration["Urls"] = "http://127.0.0.1:0";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private static async Task<string> SignIn(HttpClient client, string username)
    {
        var response = await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" });
        return (string)(await response.Expect(200))["access_token"]!;
    }

    private static async Task<string> PublishOffer(HttpClient client)
    {
        var university = await SignIn(client, "demo-university");
        var created = await (await client.Send(HttpMethod.Post, "/api/listings", university, new
        {
            kind = "offer",
            title = "柑橘黄龙病田间快速检测试剂盒",
            summary = "基于等温扩增的柑橘黄龙病现场快速检测技术，三十分钟出结果。",
            description = "试剂盒无需专业仪器，适合果园现场筛查，灵敏度与实验室定量检测相当，可授权生产。",
            field = "agriculture",
            keywords = new[] { "柑橘", "黄龙病", "快速检测" },
            maturity = 7,
            transferModes = new[] { "ordinary_license" },
            price = new { min = 300000m, max = 600000m },
        })).Expect(201);
        var id = (string)created["id"]!;
        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", university)).Expect(200);
        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", await SignIn(client, "demo-operator"))).Expect(200);
        return id;
    }

    private static async Task FoundBySearch(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var result = await (await client.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString("黄龙病检测"))).Expect(200);
            if (result["items"]!.AsArray().Any(i => (string)i!["id"]! == id)) return;
            Assert.True(DateTime.UtcNow < deadline, "the listing was not found by search");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_published_listing_is_searchable_and_the_index_is_rebuilt_after_a_restart_without_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (first, client) = await Start(directory);
            var id = await PublishOffer(client);
            await FoundBySearch(client, id);
            await first.StopAsync();
            await first.DisposeAsync();

            // the index is a derived copy: lose it entirely, and the next start rebuilds it from the listings
            Directory.Delete(Path.Combine(directory, "matching-index"), recursive: true);
            var (second, again) = await Start(directory);
            await FoundBySearch(again, id);
            await second.StopAsync();
            await second.DisposeAsync();
        }
        finally
        {
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }
}
