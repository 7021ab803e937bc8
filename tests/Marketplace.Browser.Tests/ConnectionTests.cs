using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// A dropped connection (the circuit is the page's only link to the server) speaks Chinese, and what
/// was typed into a form survives the reload a lost circuit needs; leaving a form with input that was
/// not submitted asks first.
/// </summary>
public sealed partial class ConnectionTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [GeneratedRegex("/_blazor")]
    private static partial Regex Circuit();

    private static async Task FillDemandAsync(IPage page, string title)
    {
        await page.PickAsync("kind", "demand");
        await page.EnterAsync("title", title);
        await page.EnterAsync("summary", "寻求低温固态电解质薄膜的制备工艺。");
        await page.PickAsync("field", "new-energy");
        await page.EnterAsync("keywords", "固态电池、电解质");
        // a field the demand's kind brings: it comes back only after the kind did
        await page.EnterAsync("budget-max", "800000");
    }

    [BrowserFact]
    public async Task A_reload_asks_first_and_the_form_gets_back_what_was_typed()
    {
        var page = await market.OpenAsync("demo-enterprise");
        await page.GotoAsync("/my/listings/new");
        await page.InteractiveAsync();
        var title = "固态电解质薄膜技术需求 " + Guid.NewGuid().ToString("N")[..6];
        await page.TestId("title").ClickAsync();
        await FillDemandAsync(page, title);

        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.AcceptAsync();
        };
        await page.ReloadAsync();
        Assert.Contains("beforeunload", asked);

        await page.InteractiveAsync();
        await Expect(page.Locator(".portal-restored")).ToHaveTextAsync("已恢复您在此页尚未提交的输入。");
        await Expect(page.TestId("kind")).ToHaveValueAsync("demand");
        await Expect(page.TestId("title")).ToHaveValueAsync(title);
        await Expect(page.TestId("budget-max")).ToHaveValueAsync("800000");

        // the restored input reached the form itself: it saves as typed (the rest typed now)
        await page.EnterAsync("description", "公司计划建设固态电池中试线，需要低温制备固态电解质薄膜的工艺与设备方案。");
        await page.EnterAsync("deadline", DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.TestId("save").ClickAsync();
        await page.WaitForURLAsync(new Regex("/my/listings$"));
        var saved = page.Locator("[data-testid=my-listing]", new() { HasText = title });
        await Expect(saved).ToHaveCountAsync(1);

        // the form, opened again, starts empty: what was kept went with the save
        await page.GotoAsync("/my/listings/new");
        await page.InteractiveAsync();
        await page.WaitForTimeoutAsync(1000);
        await Expect(page.TestId("title")).ToHaveValueAsync("");
        Assert.Equal(0, await page.Locator(".portal-restored").CountAsync());
    }

    [BrowserFact]
    public async Task Leaving_a_form_by_a_link_with_unsaved_input_asks_and_staying_keeps_it()
    {
        var page = await market.OpenAsync("demo-enterprise");
        await page.GotoAsync("/my/listings/new");
        await page.InteractiveAsync();
        await page.TestId("title").ClickAsync();
        await page.EnterAsync("title", "未保存的需求");

        string? question = null;
        void Stay(object? sender, IDialog dialog)
        {
            question = dialog.Message;
            _ = dialog.DismissAsync();
        }
        page.Dialog += Stay;
        await page.Locator("a.portal-brand").ClickAsync();
        Assert.Equal("您填写的内容尚未提交，确定离开此页吗？", question);
        Assert.EndsWith("/my/listings/new", page.Url);
        await Expect(page.TestId("title")).ToHaveValueAsync("未保存的需求");

        // answering "leave" leaves, and the input is not offered back later
        page.Dialog -= Stay;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.Locator("a.portal-brand").ClickAsync();
        await page.WaitForURLAsync(market.BaseUrl.TrimEnd('/') + "/");
        await page.GotoAsync("/my/listings/new");
        await page.InteractiveAsync();
        await page.WaitForTimeoutAsync(1000);
        await Expect(page.TestId("title")).ToHaveValueAsync("");
    }

    [BrowserFact]
    public async Task A_dropped_connection_is_told_in_Chinese_and_the_page_carries_on_when_it_is_back()
    {
        var page = await market.OpenAsync("demo-enterprise");
        var open = true;
        var sockets = new List<IWebSocketRoute>();
        // the circuit's traffic passes through the test, which can cut it and refuse it while "offline"
        await page.RouteAsync(Circuit(), async route =>
        {
            if (open) await route.ContinueAsync();
            else await route.AbortAsync();
        });
        await page.RouteWebSocketAsync(Circuit(), ws =>
        {
            if (!open)
            {
                _ = ws.CloseAsync();
                return;
            }
            ws.ConnectToServer();
            lock (sockets) sockets.Add(ws);
        });
        await page.GotoAsync("/my/listings/new");
        await page.InteractiveAsync();
        await page.EnterAsync("title", "断线时填写的标题");

        open = false;
        foreach (var ws in sockets.ToList()) await ws.CloseAsync();
        var dialog = page.Locator("#components-reconnect-modal");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("h2")).ToHaveTextAsync("与服务器的连接已中断");
        await Expect(dialog).ToContainTextAsync(new Regex("正在重新连接|重新连接失败"));
        Assert.DoesNotMatch("[A-Za-z]{3,}", await dialog.InnerTextAsync());

        // back: the page rejoins its circuit (as the dialog's 重试 does) and nothing typed is lost
        open = true;
        Assert.True(await page.EvaluateAsync<bool>("() => Blazor.reconnect()"));
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.TestId("title")).ToHaveValueAsync("断线时填写的标题");
    }
}
