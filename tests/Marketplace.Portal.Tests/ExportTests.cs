using Marketplace.Portal.Api;
using MiniExcelLibs;

namespace Marketplace.Portal.Tests;

/// <summary>The Excel downloads (issue 18 item 9): an empty list still has its header row, and rows keep their values.</summary>
public sealed class ExportTests
{
    private static List<object?[]> Read(byte[] workbook)
    {
        using var stream = new MemoryStream(workbook);
        return stream.Query(useHeaderRow: false).Select(row => ((IDictionary<string, object?>)row).Values.ToArray()).ToList();
    }

    [Fact]
    public async Task An_empty_list_downloads_with_its_header_row()
    {
        var workbook = await Exports.WorkbookAsync<TurnoverGroup>([], "2026年成交额", Exports.TurnoverColumns("subMarket"), CancellationToken.None);

        var rows = Read(workbook);
        var header = Assert.Single(rows);
        Assert.Equal(["分市场", "登记合同数", "成交额（元）", "技术交易额（元）"], header);
    }

    [Fact]
    public async Task Each_item_is_a_row_under_the_header_with_its_numbers_as_numbers()
    {
        var workbook = await Exports.WorkbookAsync<TurnoverGroup>([new("outside", 2, 1_300_000m, 1_200_000m), new("changsha", 1, 5m, 4m)], "2026年成交额",
            Exports.TurnoverColumns("subMarket"), CancellationToken.None);

        var rows = Read(workbook);
        Assert.Equal(3, rows.Count);
        Assert.Equal("分市场", rows[0][0]);
        Assert.Equal("省外", rows[1][0]);
        Assert.Equal(2d, Convert.ToDouble(rows[1][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1_300_000d, Convert.ToDouble(rows[1][2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsNotType<string>(rows[1][2]);
        Assert.Equal("长沙分市场", rows[2][0]);
    }
}
