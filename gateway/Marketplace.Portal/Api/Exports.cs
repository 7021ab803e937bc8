using System.Data;
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
            return await SheetAsync(queue, "登记队列",
            [
                new("合同名称", a => a.Title),
                new("类型", a => Labels.ContractType(a.Type)),
                new("卖方", a => a.Seller?.Name),
                new("买方", a => a.Buyer?.Name),
                new("合同金额（元）", a => a.TotalAmount),
                new("受理日期", a => Labels.Day(a.ReceivedOn)),
                new("答复期限", a => Labels.Deadline(a)),
                new("是否超期", a => a.Overdue ? "是" : "否"),
            ], ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Registrar));

        group.MapGet("/review-queue.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, CancellationToken ct) =>
        {
            auth.UseRequestUser(http);
            var queue = await api.GetAllAsync<ListingView>(Review.Queue, ct);
            return await SheetAsync(queue, "待审核信息",
            [
                new("标题", l => l.Title),
                new("类型", l => Labels.Kind(l.Kind)),
                new("发布单位", l => l.OwnerOrgName),
                new("技术领域", l => Labels.Field(l.Field)),
                new("分市场", l => Labels.SubMarket(l.SubMarket)),
                new("提交时间", l => Labels.Time(l.UpdatedAt)),
            ], ct);
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
            return await SheetAsync(groups, TurnoverSheetName(view, groupBy, y), TurnoverColumns(groupBy), ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Operator, Roles.Registrar));
    }

    /// <summary>The sheet (and file) name of a view of one year's statistics: 2026年成交额, 2026年技术输出-合同类别.</summary>
    public static string TurnoverSheetName(string view, string groupBy, int year) =>
        view == "registration" ? $"{year}年成交额" : $"{year}年{Labels.TurnoverView(view)[..4]}-{Labels.TurnoverGrouping(groupBy)}";

    /// <summary>The columns of a sheet of the statistics grouped by <paramref name="groupBy"/>, the group's key in words.</summary>
    public static IReadOnlyList<SheetColumn<TurnoverGroup>> TurnoverColumns(string groupBy) =>
    [
        new(Labels.TurnoverGrouping(groupBy), g => Labels.TurnoverKey(groupBy, g.Key)),
        new("登记合同数", g => g.Count),
        new("成交额（元）", g => g.Turnover),
        new("技术交易额（元）", g => g.TechnologyTransactionAmount),
    ];

    /// <summary>One group of the statistics as a row of the sheet.</summary>
    public static Dictionary<string, object?> TurnoverRow(string groupBy, TurnoverGroup g) =>
        TurnoverColumns(groupBy).ToDictionary(c => c.Header, c => c.Value(g));

    /// <summary>
    /// The workbook of one sheet: a header row, then a row for each item. The header is written from the columns,
    /// not from the rows, so that an empty list still says what it would hold.
    /// </summary>
    public static async Task<byte[]> WorkbookAsync<T>(IReadOnlyList<T> items, string name, IReadOnlyList<SheetColumn<T>> columns, CancellationToken ct)
    {
        using var table = new DataTable(name);
        foreach (var column in columns) table.Columns.Add(column.Header, typeof(object));
        foreach (var item in items) table.Rows.Add([.. columns.Select(c => c.Value(item) ?? DBNull.Value)]);
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(table, sheetName: name, cancellationToken: ct);
        return stream.ToArray();
    }

    private static async Task<IResult> SheetAsync<T>(ApiResult<IReadOnlyList<T>> result, string name, IReadOnlyList<SheetColumn<T>> columns, CancellationToken ct)
    {
        if (result.Problem is { } problem)
            return Results.Problem(title: problem.Message, statusCode: problem.Status == 0 ? StatusCodes.Status503ServiceUnavailable : problem.Status);
        var file = $"{name}-{DateTime.UtcNow.AddHours(8).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";
        return Results.File(await WorkbookAsync(result.Value ?? [], name, columns, ct), Xlsx, file);
    }
}

/// <summary>One column of an Excel download: its header, and what a row shows in it.</summary>
public sealed record SheetColumn<T>(string Header, Func<T, object?> Value);
