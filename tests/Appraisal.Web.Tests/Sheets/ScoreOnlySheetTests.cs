using System.Net;
using Appraisal.App.Sheets;
using Appraisal.Core.Policy;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Sheets;

/// <summary>
/// The sheet without its script: a score typed without a level is saved with the level that holds it (D2),
/// the upper one at a shared end point, said next to the item; a score outside every level is refused with the
/// item and its range, and not counted in the total.
/// </summary>
public sealed class ScoreOnlySheetTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_score_without_a_level_is_saved_with_its_level()
    {
        var month = await app.OpenMonthAsync();
        var me = await app.PersonIdAsync("E001");
        using var agent = await app.SignInAsync("agent01");
        var url = $"/Sheets/Edit?month={month}&person={me}&kind=Self";
        var complaints = DefaultPolicy.Instance.Items.Single(i => i.Key == "complaints");

        // 25 of 20: no level holds it — the item and its range, not "choose a level"; nothing saved; not in the total.
        var tooHigh = ScoresOnly(PageForms.Sheet("save", i => i.Key == "complaints" ? (0, "25") : null));
        using (var bad = await agent.PostAsync(url, tooHigh))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var html = await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var error = Html.Error(html);
            Assert.Contains("处理投诉及售后工作", error);
            Assert.Contains("0–20", error);
            Assert.DoesNotContain("档次", error);
            Assert.Contains("class=\"level-note bad\"", html);
            var expected = PageForms.DefaultSheetTotal - complaints.Levels[1].Max;
            Assert.Contains($"<output id=\"total\" aria-live=\"polite\">{expected}</output>", html);
        }

        Assert.Null(await SheetAsync(month, me));

        // 5 is held by 5–9 and 0–5: the upper level is taken, and the page says so beside the item.
        var shared = ScoresOnly(PageForms.Sheet("save", i => i.Key == "complaints" ? (0, "5") : null));
        using (var saved = await agent.PostAsync(url, shared))
        {
            var page = await agent.FollowAsync(saved);
            Assert.Contains("草稿已保存", Html.Notice(page));
            Assert.Contains("5 分同属两个档次", page);
        }

        var sheet = await SheetAsync(month, me);
        Assert.NotNull(sheet);
        var items = sheet.Items.ToDictionary(i => i.ItemKey);
        Assert.Equal(complaints.LevelOf(5), items["complaints"].LevelIndex);
        Assert.Equal((5, 9), (complaints.Levels[items["complaints"].LevelIndex].Min, complaints.Levels[items["complaints"].LevelIndex].Max));
        foreach (var item in DefaultPolicy.Instance.Items.Where(i => i.Key != "complaints"))
        {
            Assert.Equal(1, items[item.Key].LevelIndex);
        }
    }

    /// <summary>The form as a browser without JavaScript sends it when only the scores were typed.</summary>
    private static List<KeyValuePair<string, string>> ScoresOnly(List<KeyValuePair<string, string>> fields) =>
        [.. fields.Where(f => !f.Key.EndsWith(".Level", StringComparison.Ordinal))];

    private Task<Sheet?> SheetAsync(string month, int personId) => app.DbAsync(db => db.Sheets.Include(s => s.Items)
        .Where(s => s.Month!.Month == month && s.PersonId == personId && s.Kind == SheetKind.Self)
        .FirstOrDefaultAsync(TestContext.Current.CancellationToken));
}
