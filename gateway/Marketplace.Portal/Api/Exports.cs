using System.Globalization;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Portal.Components.Shared;
using MiniExcelLibs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Portal.Api;

/// <summary>
/// Excel downloads for operators and registrars: their queues and the turnover statistics, read
/// from the public API with the user's own session (so each sees only what the API lets them see).
/// </summary>
public static class Exports
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/portal/export").ExcludeFromDescription();
        group.MapGet("/registrar-queue.xlsx", (HttpContext http, MarketApi api, AuthenticationStateProvider auth, CancellationToken ct) =>
            Sheet(http, api, auth, "/api/contracts?queue=true&pageSize=100", "登记队列", a => new Dictionary<string, object?>
            {
                ["合同名称"] = (string?)a["title"],
                ["类型"] = Labels.ContractType((string?)a["type"]),
                ["卖方"] = (string?)a["seller"]?["name"],
                ["买方"] = (string?)a["buyer"]?["name"],
                ["合同金额（元）"] = (decimal?)a["totalAmount"],
                ["受理日期"] = (string?)a["receivedOn"],
                ["答复期限"] = (string?)a["decisionDue"],
                ["是否超期"] = (bool?)a["overdue"] == true ? "是" : "否",
            }, ct)).RequireAuthorization(p => p.RequireRole(Roles.Registrar));

        group.MapGet("/review-queue.xlsx", (HttpContext http, MarketApi api, AuthenticationStateProvider auth, CancellationToken ct) =>
            Sheet(http, api, auth, "/api/listings?status=pending_review&pageSize=100", "待审核信息", l => new Dictionary<string, object?>
            {
                ["标题"] = (string?)l["title"],
                ["类型"] = Labels.Kind((string?)l["kind"]),
                ["发布单位"] = (string?)l["ownerOrgName"],
                ["技术领域"] = Labels.Field((string?)l["field"]),
                ["分市场"] = Labels.SubMarket((string?)l["subMarket"]),
                ["提交时间"] = Labels.Time(l["updatedAt"]),
            }, ct)).RequireAuthorization(p => p.RequireRole(Roles.Operator));

        group.MapGet("/turnover.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, int? year, CancellationToken ct) =>
        {
            var y = year ?? Labels.ThisYear;
            return await Sheet(http, api, auth, $"/api/stats/turnover?groupBy=subMarket&from={y}-01-01&to={y}-12-31", $"{y}年成交额", g => new Dictionary<string, object?>
            {
                ["分市场"] = Labels.SubMarket((string?)g["key"]),
                ["登记合同数"] = (int?)g["count"],
                ["成交额（元）"] = (decimal?)g["turnover"],
                ["技术交易额（元）"] = (decimal?)g["technologyTransactionAmount"],
            }, ct, "groups");
        }).RequireAuthorization(p => p.RequireRole(Roles.Operator, Roles.Registrar));
    }

    private static async Task<IResult> Sheet(HttpContext http, MarketApi api, AuthenticationStateProvider auth, string path, string name,
        Func<JsonNode, Dictionary<string, object?>> row, CancellationToken ct, string itemsProperty = "items")
    {
        // outside a Blazor circuit the session's user is the request's user
        if (auth is IHostEnvironmentAuthenticationStateProvider host)
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        var result = await api.GetAsync<JsonObject>(path, ct);
        if (result.Problem is { } problem)
            return Results.Problem(title: problem.Message, statusCode: problem.Status == 0 ? StatusCodes.Status503ServiceUnavailable : problem.Status);
        var rows = result.Value?[itemsProperty]?.AsArray().OfType<JsonNode>().Select(row).ToList() ?? [];
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, sheetName: name, cancellationToken: ct);
        var file = $"{name}-{DateTime.UtcNow.AddHours(8).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";
        return Results.File(stream.ToArray(), Xlsx, file);
    }
}
