using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MiniExcelLibs;

namespace Marketplace.Portal.Api;

/// <summary>
/// Excel downloads for operators and registrars: their queues (every row, page after page) and the
/// turnover statistics, read from the public API with the user's own session (so each sees only
/// what the API lets them see).
/// </summary>
public static class Exports
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/portal/export").ExcludeFromDescription();
        group.MapGet("/registrar-queue.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, CancellationToken ct) =>
        {
            auth.UseRequestUser(http);
            var queue = await api.GetAllAsync<ApplicationView>(RegistrarQueue.Queue, ct);
            return await SheetAsync(queue, "登记队列", a => new Dictionary<string, object?>
            {
                ["合同名称"] = a.Title,
                ["类型"] = Labels.ContractType(a.Type),
                ["卖方"] = a.Seller?.Name,
                ["买方"] = a.Buyer?.Name,
                ["合同金额（元）"] = a.TotalAmount,
                ["受理日期"] = Labels.Day(a.ReceivedOn),
                ["答复期限"] = Labels.Deadline(a),
                ["是否超期"] = a.Overdue ? "是" : "否",
            }, ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Registrar));

        group.MapGet("/review-queue.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, CancellationToken ct) =>
        {
            auth.UseRequestUser(http);
            var queue = await api.GetAllAsync<ListingView>(Review.Queue, ct);
            return await SheetAsync(queue, "待审核信息", l => new Dictionary<string, object?>
            {
                ["标题"] = l.Title,
                ["类型"] = Labels.Kind(l.Kind),
                ["发布单位"] = l.OwnerOrgName,
                ["技术领域"] = Labels.Field(l.Field),
                ["分市场"] = Labels.SubMarket(l.SubMarket),
                ["提交时间"] = Labels.Time(l.UpdatedAt),
            }, ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Operator));

        group.MapGet("/turnover.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, int? year, string? view, string? groupBy, CancellationToken ct) =>
        {
            auth.UseRequestUser(http);
            var y = year ?? Labels.ThisYear;
            view ??= "registration";
            groupBy ??= "subMarket";
            // a city operator's output and absorption are their own sub-market's, as on the dashboard (the API checks the codes)
            var subMarket = http.User.FindFirst(MarketClaims.SubMarket)?.Value;
            var scope = view != "registration" && http.User.IsInRole(Roles.Operator) && subMarket is not (null or "hq") ? $"&subMarket={Uri.EscapeDataString(subMarket)}" : "";
            var stats = await api.GetAsync<TurnoverStats>(
                $"/api/stats/turnover?view={Uri.EscapeDataString(view)}&groupBy={Uri.EscapeDataString(groupBy)}&from={y}-01-01&to={y}-12-31{scope}", ct);
            var groups = new ApiResult<IReadOnlyList<TurnoverGroup>>(stats.Value?.Groups, stats.Problem, null);
            return await SheetAsync(groups, TurnoverSheetName(view, groupBy, y), g => TurnoverRow(groupBy, g), ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Operator, Roles.Registrar));
    }

    /// <summary>The sheet (and file) name of a view of one year's statistics: 2026年成交额, 2026年技术输出-合同类别.</summary>
    public static string TurnoverSheetName(string view, string groupBy, int year) =>
        view == "registration" ? $"{year}年成交额" : $"{year}年{Labels.TurnoverView(view)[..4]}-{Labels.TurnoverGrouping(groupBy)}";

    /// <summary>One group of the statistics as a row of the sheet, its key in words.</summary>
    public static Dictionary<string, object?> TurnoverRow(string groupBy, TurnoverGroup g) => new()
    {
        [Labels.TurnoverGrouping(groupBy)] = Labels.TurnoverKey(groupBy, g.Key),
        ["登记合同数"] = g.Count,
        ["成交额（元）"] = g.Turnover,
        ["技术交易额（元）"] = g.TechnologyTransactionAmount,
    };

    private static async Task<IResult> SheetAsync<T>(ApiResult<IReadOnlyList<T>> result, string name, Func<T, Dictionary<string, object?>> row, CancellationToken ct)
    {
        if (result.Problem is { } problem)
            return Results.Problem(title: problem.Message, statusCode: problem.Status == 0 ? StatusCodes.Status503ServiceUnavailable : problem.Status);
        var rows = (result.Value ?? []).Select(row).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, sheetName: name, cancellationToken: ct);
        var file = $"{name}-{DateTime.UtcNow.AddHours(8).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";
        return Results.File(stream.ToArray(), Xlsx, file);
    }
}
