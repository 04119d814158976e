using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// axe-core over the main pages of each role, in Chinese and English, at desktop and phone size: no serious or
/// critical violation. All problems of a role are collected before failing, so that one run names them all.
/// </summary>
public sealed class AccessibilityTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly Dictionary<string, string[]> PagesOf = new(StringComparer.Ordinal)
    {
        ["agent01"] =
        [
            "/", "/Months", "/Sheets/Edit?month={open}&person={me}&kind=Self", "/Pay/Payslip?month={confirmed}&person={me}",
            "/Results/History?person={me}", "/People/MyData", "/Policy", "/Account/Denied",
        ],
        ["sup1"] =
        [
            "/", "/Months/Team?month={open}", "/Sheets/Edit?month={open}&person={me}&kind=Supervisor",
            "/Sheets/Edit?month={open}&person={mate}&kind=Supervisor",
        ],
        ["hr"] =
        [
            "/", "/Months", "/Months/Facts?month={open}", "/Results/Month?month={confirmed}", "/Results/Reviews", "/Results/Appeals",
            "/People", "/Audit", "/Pay/Payslip?month={confirmed}&person={mate}",
            "/Months/Import?month={open}", "/People/Import", "/People/Edit?id={mate}", "/People/Detail?id={mate}",
            "/Results/Month?month=2099-01",
        ],
        ["gm"] =
        [
            "/", "/Results/Month?month={open}", "/Results/Decisions?month={confirmed}", "/Months/Team?month={open}",
            "/Policy/Version?id=1", "/Results/History?person={mate}",
        ],
        ["admin"] = ["/", "/People/Accounts", "/Policy"],
    };

    public static TheoryData<string> Roles => [.. PagesOf.Keys];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task The_main_pages_have_no_serious_or_critical_violations(string user)
    {
        var (open, confirmed) = await app.DemoMonthsAsync();
        var me = await app.PersonIdAsync("E001");
        var mate = await app.PersonIdAsync("E002");
        var problems = new List<string>();
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            foreach (var (size, viewport) in new[] { ("desktop", BrowserApp.Desktop), ("phone", BrowserApp.Phone) })
            {
                var page = await app.SignInAsync(user, culture, viewport);
                foreach (var path in PagesOf[user])
                {
                    var url = path.Replace("{open}", open, StringComparison.Ordinal).Replace("{confirmed}", confirmed, StringComparison.Ordinal)
                        .Replace("{me}", me.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                        .Replace("{mate}", mate.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    await page.GotoAsync(url);
                    problems.AddRange(await ViolationsAsync(page, $"{url} [{culture}, {size}]"));
                }

                await page.Context.CloseAsync();
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_sign_in_page_has_no_serious_or_critical_violations()
    {
        var problems = new List<string>();
        foreach (var viewport in new[] { BrowserApp.Desktop, BrowserApp.Phone })
        {
            var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/Account/Login");
            problems.AddRange(await ViolationsAsync(page, $"/Account/Login [{viewport.Width}]"));
            await context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    internal static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Impact} {v.Id} ({v.Help}): "
                + string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {Short(n.Html)}")));
    }

    private static string Short(string? html) => html is null ? string.Empty : html.Length <= 140 ? html : html[..140] + "…";
}
