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
                ["答复期限"] = Labels.Day(a.DecisionDue),
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

        group.MapGet("/turnover.xlsx", async (HttpContext http, MarketApi api, AuthenticationStateProvider auth, int? year, CancellationToken ct) =>
        {
            auth.UseRequestUser(http);
            var y = year ?? Labels.ThisYear;
            var stats = await api.GetAsync<TurnoverStats>($"/api/stats/turnover?groupBy=subMarket&from={y}-01-01&to={y}-12-31", ct);
            var groups = new ApiResult<IReadOnlyList<TurnoverGroup>>(stats.Value?.Groups, stats.Problem, null);
            return await SheetAsync(groups, $"{y}年成交额", g => new Dictionary<string, object?>
            {
                ["分市场"] = Labels.SubMarket(g.Key),
                ["登记合同数"] = g.Count,
                ["成交额（元）"] = g.Turnover,
                ["技术交易额（元）"] = g.TechnologyTransactionAmount,
            }, ct);
        }).RequireAuthorization(p => p.RequireRole(Roles.Operator, Roles.Registrar));
    }

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
