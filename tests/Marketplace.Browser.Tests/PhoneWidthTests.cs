using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>The portal on a phone (390 × 844, issue 18 item 9): a menu button, tables that keep their column labels, 面议 on one line.</summary>
public sealed class PhoneWidthTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    private const int PhoneWidth = 390, PhoneHeight = 844;

    [BrowserFact]
    public async Task At_phone_width_the_menu_folds_behind_a_button_that_the_keyboard_opens_as_a_list()
    {
        var phone = await market.OpenAsync("demo-university", width: PhoneWidth, height: PhoneHeight);
        await phone.GotoAsync("/");
        await phone.InteractiveAsync();
        var toggle = phone.TestId("menu-toggle");
        var items = phone.Locator("[data-testid=nav] .ant-menu-item");

        await Expect(toggle).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(toggle).ToHaveAttributeAsync("aria-controls", "portal-nav");
        await Expect(phone.Locator("#portal-nav")).ToBeHiddenAsync();
        // the header is the brand, the button and the user's line: not three lines of menu
        var header = (await phone.Locator(".portal-header").BoundingBoxAsync())!;
        Assert.True(header.Height < 140, $"the header is {header.Height} px high");

        await toggle.FocusAsync();
        await phone.Keyboard.PressAsync("Enter");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(items.First).ToBeVisibleAsync();
        var count = await items.CountAsync();
        Assert.True(count >= 7, $"{count} items");
        // a list: one item under another, each the menu's width
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < count; i++) boxes.Add((await items.Nth(i).BoundingBoxAsync())!);
        Assert.All(boxes.Zip(boxes.Skip(1)), pair => Assert.True(pair.Second.Y >= pair.First.Y + pair.First.Height - 1, "an item beside another"));
        Assert.All(boxes, box => Assert.True(box.Width > PhoneWidth / 2, $"an item {box.Width} px wide"));
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page is wider than a phone");
        await phone.ShotAsync("phone-menu-open");

        await phone.Keyboard.PressAsync("Tab");
        await phone.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(phone.Locator("#portal-nav")).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();

        // a page chosen from the menu closes it
        await toggle.ClickAsync();
        await phone.Locator("[data-testid=nav] .ant-menu-item", new() { HasText = "合同登记" }).ClickAsync();
        await phone.WaitForURLAsync(new Regex("/contracts$"));
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(phone.Locator("#portal-nav")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task At_desktop_width_the_menu_is_in_the_header_without_a_button()
    {
        var desktop = await market.OpenAsync("demo-university");
        await desktop.GotoAsync("/");
        await desktop.InteractiveAsync();

        await Expect(desktop.TestId("menu-toggle")).ToBeHiddenAsync();
        await Expect(desktop.Locator("[data-testid=nav] .ant-menu-item", new() { HasText = "合同登记" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task The_home_pages_turnover_table_keeps_its_column_labels_at_phone_width()
    {
        var phone = await market.OpenAsync(width: PhoneWidth, height: PhoneHeight);
        await phone.GotoAsync("/");
        await phone.InteractiveAsync();
        var table = phone.TestId("turnover");

        foreach (var label in new[] { "分市场", "登记合同数", "成交额", "技术交易额" })
            await Expect(table.Locator("thead th", new() { HasTextRegex = new Regex($"^{label}$") })).ToBeVisibleAsync();
        // each figure sits under its label: the second column's label and cells share their left edge
        var label2 = (await table.Locator("thead th").Nth(1).BoundingBoxAsync())!;
        var cell2 = (await table.Locator("tbody tr").First.Locator("td").Nth(1).BoundingBoxAsync())!;
        Assert.Equal(label2.X, cell2.X, 1.0);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page is wider than a phone");
        await phone.ShotAsync("phone-home-turnover");
    }

    [BrowserFact]
    public async Task The_negotiable_budget_label_stays_on_one_line_at_phone_width()
    {
        var phone = await market.OpenAsync("demo-enterprise", width: PhoneWidth, height: PhoneHeight);
        await phone.GotoAsync("/my/listings/new");
        await phone.InteractiveAsync();
        await phone.PickAsync("kind", "demand");
        var label = phone.Locator("label.portal-check", new() { Has = phone.TestId("budget-negotiable") });
        await Expect(label).ToBeVisibleAsync();

        var lines = await label.EvaluateAsync<double>("l => l.getBoundingClientRect().height / parseFloat(getComputedStyle(l).lineHeight || '0') || l.getBoundingClientRect().height / (parseFloat(getComputedStyle(l).fontSize) * 1.5715)");
        Assert.True(lines < 1.5, $"面议 takes {lines:0.0} lines");
    }
}
