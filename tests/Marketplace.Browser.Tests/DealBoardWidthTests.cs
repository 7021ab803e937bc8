using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>The deal board on a common laptop screen (1366×768): its eight stage columns do not fit side by side.</summary>
public sealed class DealBoardWidthTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task At_1366_px_the_board_says_it_scrolls_and_every_stage_column_can_be_brought_into_view()
    {
        var broker = await market.OpenAsync("demo-broker", width: 1366, height: 768);
        await broker.GotoAsync("/broker/deals");
        await broker.InteractiveAsync();
        var board = broker.TestId("board");
        await Expect(broker.TestId("board-hint")).ToBeVisibleAsync();
        await Expect(broker.TestId("board-hint")).ToContainTextAsync("左右滚动");
        Assert.Equal("scroll", await board.EvaluateAsync<string>("b => getComputedStyle(b).overflowX"));
        // the last columns lie beyond the board's right edge until the broker goes there
        Assert.False(await InViewAsync(board, "lost"));

        foreach (var stage in new[] { "lost", "registered", "lead" })
        {
            await broker.Locator($"[data-testid=board-stage-link][data-target={stage}]").ClickAsync();
            await Expect(broker.Locator($"section[data-stage={stage}]")).ToBeFocusedAsync();
            Assert.True(await InViewAsync(board, stage), $"the {stage} column is within the board's visible width");
        }
    }

    /// <summary>Whether the stage's column lies wholly within the board's visible width.</summary>
    private static Task<bool> InViewAsync(Microsoft.Playwright.ILocator board, string stage) => board.EvaluateAsync<bool>(
        @"(b, stage) => { const c = b.querySelector(`section[data-stage=${stage}]`).getBoundingClientRect(), v = b.getBoundingClientRect();
            return c.left >= v.left - 1 && c.right <= v.right + 1; }", stage);
}
