using Appraisal.Core.Policy;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// The KPI sheet's one input per item (D2): typing a score selects its level, a shared end point takes the
/// upper level and says so, a score outside every level is named with its range and left out of the total,
/// choosing a level offers its range; and the whole sheet filled and submitted with the keyboard alone.
/// </summary>
public sealed class SheetScoreTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Typing_a_score_selects_its_level_and_the_total_counts_only_valid_scores()
    {
        var (open, _) = await app.DemoMonthsAsync();
        var me = await app.PersonIdAsync("E001");
        var page = await app.SignInAsync("agent01");
        await page.GotoAsync($"/Sheets/Edit?month={open}&person={me}&kind=Self");
        var complaints = page.Locator("#score-complaints");
        var note = page.Locator("#note-complaints");
        var total = page.Locator("#total");

        // 5: held by 5–9 and 0–5 — the upper level, said beside the item.
        await complaints.PressSequentiallyAsync("5");
        await Assertions.Expect(page.Locator("#level-complaints-3")).ToBeCheckedAsync();
        await Assertions.Expect(note).ToContainTextAsync("5 分同属两个档次");
        await Assertions.Expect(note).ToContainTextAsync("5–9 分");
        await Assertions.Expect(total).ToHaveTextAsync("5");

        // 25 of 20: no level; the item and its range are named, the score is not counted.
        await complaints.FillAsync(string.Empty);
        await complaints.PressSequentiallyAsync("25");
        await Assertions.Expect(note).ToContainTextAsync("处理投诉及售后工作");
        await Assertions.Expect(note).ToContainTextAsync("0–20");
        await Assertions.Expect(note).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("bad"));
        await Assertions.Expect(complaints).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(0, await page.Locator("input[name='Items[5].Level']:checked").CountAsync());
        await Assertions.Expect(total).ToHaveTextAsync("0");

        // 17: its level 16–19, no note.
        await complaints.FillAsync(string.Empty);
        await complaints.PressSequentiallyAsync("17");
        await Assertions.Expect(page.Locator("#level-complaints-1")).ToBeCheckedAsync();
        await Assertions.Expect(note).ToBeEmptyAsync();

        // Choosing a level offers its range; a score typed outside it moves to the level that holds it.
        await page.Locator("label[for='level-performance-2']").ClickAsync();
        var performance = page.Locator("#score-performance");
        await Assertions.Expect(performance).ToHaveValueAsync("34");
        await Assertions.Expect(performance).ToHaveAttributeAsync("min", "28");
        await Assertions.Expect(performance).ToHaveAttributeAsync("max", "34");
        await performance.FillAsync("36");
        await Assertions.Expect(page.Locator("#level-performance-1")).ToBeCheckedAsync();
        await Assertions.Expect(performance).ToHaveAttributeAsync("max", "39");
        await Assertions.Expect(total).ToHaveTextAsync("53");
        await BrowserApp.ScreenshotAsync(page, "sheet-scores");

        // Saved as typed: the levels the page showed are the ones stored.
        await page.ClickAsync("button[name=Mode][value=save]");
        await Assertions.Expect(page.Locator(".notice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#level-complaints-1")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#level-performance-1")).ToBeCheckedAsync();
        await Assertions.Expect(total).ToHaveTextAsync("53");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sheet_is_filled_and_submitted_with_the_keyboard_alone()
    {
        var (open, _) = await app.DemoMonthsAsync();
        var person = await app.PersonIdAsync("E001");
        var page = await app.SignInAsync("sup1");
        await page.GotoAsync($"/Sheets/Edit?month={open}&person={person}&kind=Supervisor");
        await Assertions.Expect(page.Locator("button[name=Mode][value=submit]")).ToBeVisibleAsync();

        // The first stop is the skip link; it leads into the page's content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        var policy = DefaultPolicy.Instance;
        var scored = new HashSet<string>(StringComparer.Ordinal);
        var chose = false;
        var submitted = false;
        for (var step = 0; step < 400 && !submitted; step++)
        {
            await page.Keyboard.PressAsync("Tab");
            var active = await page.EvaluateAsync<string[]>(
                "() => { const a = document.activeElement; return [a.tagName, a.type || '', a.id || '', a.value || '', a.name || '']; }");
            if (active[1] == "radio" && !chose)
            {
                // One item by its level: Space checks the focused level, whose one score fills the box.
                await page.Keyboard.PressAsync("Space");
                chose = true;
            }
            else if (active[1] == "number" && active[2].StartsWith("score-", StringComparison.Ordinal))
            {
                var key = active[2]["score-".Length..];
                if (active[3].Length == 0)
                {
                    var item = policy.Items.Single(i => i.Key == key);
                    await page.Keyboard.TypeAsync(item.Levels[1].Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                scored.Add(key);
            }
            else if (active[0] == "TEXTAREA")
            {
                await page.Keyboard.TypeAsync("键盘填写：表现稳定。");
            }
            else if (active[0] == "BUTTON" && active[3] == "submit" && active[4] == "Mode")
            {
                await page.Keyboard.PressAsync("Enter");
                submitted = true;
            }
        }

        Assert.True(chose);
        Assert.True(submitted, "the submit button was never reached with Tab");
        Assert.Equal(policy.Items.Select(i => i.Key).Order(StringComparer.Ordinal), scored.Order(StringComparer.Ordinal));
        await Assertions.Expect(page.Locator(".notice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".sheet-head")).ToContainTextAsync("已提交");
        await page.Context.CloseAsync();
    }
}
