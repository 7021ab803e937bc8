using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>The listing host in-process, with the MassTransit test harness and a LiteDB file of its own.</summary>
public sealed class ListingApi() : ServiceApi<Program>("listing")
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Listing:ExpirySweepInterval", "01:00:00"),
        // small, so that a test reaches it; every test uses organisations of its own
        new("Listing:Interests:DailyLimitPerOrganisation", DailyInterestLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Storage:Files:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Storage:Files:MaxFilesPerResource", MaxAttachments.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public const int MaxFileBytes = 256 * 1024;
    public const int MaxAttachments = 3;

    public const int DailyInterestLimit = 5;

    public string University(string org) => Tokens.For(Roles.University, org);
    public string Enterprise(string org) => Tokens.For(Roles.Enterprise, org);
    public string Broker(string subMarket = "changsha", string? sub = null) => Tokens.For(Roles.Broker, "brokers-" + subMarket, subMarket, sub);
    public string Operator(string subMarket = "changsha") => Tokens.For(Roles.Operator, "operators-" + subMarket, subMarket);

    public static string NewOrg(string prefix = "org") => $"{prefix}-{Guid.NewGuid():N}"[..20];
}

public static class Samples
{
    public static Dictionary<string, object?> Offer(string title = "高镍三元锂电池正极材料制备技术") => new()
    {
        ["kind"] = "offer",
        ["title"] = title,
        ["summary"] = "一种高镍三元正极材料的共沉淀制备方法，循环寿命提升30%。",
        ["description"] = "本成果提供高镍三元锂电池正极材料的共沉淀与烧结工艺，已完成中试验证，适合动力电池企业产业化。",
        ["field"] = "new-energy",
        ["keywords"] = new[] { "锂电池", "正极材料", "高镍三元" },
        ["subMarket"] = "changsha",
        ["maturity"] = 6,
        ["transferModes"] = new[] { "transfer", "ordinary_license" },
        ["price"] = new { min = 500000m, max = 2000000m, negotiable = false },
        ["ipItems"] = new[] { new { type = "invention_patent", number = "201710601862.3" } },
        ["contact"] = new { name = "张老师", phone = "13800138000", email = "zhang@example.edu.cn" },
    };

    public static Dictionary<string, object?> Demand(DateTimeOffset now, string kind = "demand") => new()
    {
        ["kind"] = kind,
        ["title"] = "轨道交通牵引电机故障诊断技术需求",
        ["summary"] = "寻求基于振动与电流信号的牵引电机早期故障诊断方案。",
        ["description"] = "公司需要一套可部署在车载设备上的牵引电机故障诊断算法，要求误报率低于百分之一，能够识别轴承与绕组故障。",
        ["field"] = "transport",
        ["keywords"] = new[] { "轨道交通", "故障诊断" },
        ["subMarket"] = "changsha",
        ["budget"] = new { min = 300000m, max = 800000m },
        ["deadline"] = now.AddDays(60),
        ["cooperationModes"] = new[] { "joint_development", "tech_service" },
        ["bounty"] = kind == "challenge" ? 1000000m : null,
        ["proposalDeadline"] = kind == "challenge" ? now.AddDays(30) : null,
    };

    public static async Task<JsonObject> Create(this HttpClient client, string token, Dictionary<string, object?> body)
    {
        var response = await client.Send(HttpMethod.Post, "/api/listings", token, body);
        return await response.Expect(201);
    }

    /// <summary>Creates, submits and approves: a published listing.</summary>
    public static async Task<JsonObject> Publish(this HttpClient client, ListingApi api, string token, Dictionary<string, object?> body)
    {
        var created = await client.Create(token, body);
        var id = (string)created["id"]!;
        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", token)).Expect(200);
        return await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator((string)body["subMarket"]!))).Expect(200);
    }
}
