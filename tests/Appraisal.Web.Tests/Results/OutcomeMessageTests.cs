using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Appraisal.App.Months;
using Appraisal.App.Sheets;
using Appraisal.Core.Policy;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>
/// Issue 9: the outcome of an action at the top of the page, naming what each person lacks with links; the month's big
/// actions asked once with their summary; no decision numbers or internal keys on the pages people read.
/// </summary>
public sealed partial class OutcomeMessageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_refused_computation_names_what_each_person_lacks_with_a_link_to_put_it_right()
    {
        var month = await app.OpenMonthAsync();
        var monthId = (await app.MonthRowAsync(month)).Id;
        var (noSheet, draft, noFacts) = (await app.PersonIdAsync("E001"), await app.PersonIdAsync("E002"), await app.PersonIdAsync("E003"));
        await app.DbAsync(async db =>
        {
            var sheetIds = await db.Sheets.Where(s => s.MonthId == monthId && s.PersonId == noSheet && s.Kind == SheetKind.Supervisor).Select(s => s.Id).ToListAsync(Ct);
            await db.SheetItems.Where(i => sheetIds.Contains(i.SheetId)).ExecuteDeleteAsync(Ct);
            await db.Sheets.Where(s => s.MonthId == monthId && s.PersonId == noSheet && s.Kind == SheetKind.Supervisor).ExecuteDeleteAsync(Ct);
            if (!await db.Sheets.AnyAsync(s => s.MonthId == monthId && s.PersonId == draft && s.Kind == SheetKind.Supervisor, Ct))
            {
                db.Sheets.Add(new Sheet { MonthId = monthId, PersonId = draft, Kind = SheetKind.Supervisor });
                await db.SaveChangesAsync(Ct);
            }

            await db.Sheets.Where(s => s.MonthId == monthId && s.PersonId == draft && s.Kind == SheetKind.Supervisor)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SubmittedAt, (DateTime?)null), Ct);
            await db.Facts.Where(f => f.MonthId == monthId && f.PersonId == noFacts).ExecuteDeleteAsync(Ct);
            return 0;
        });

        using var hr = await app.SignInAsync("hr");
        await hr.PageAsync($"/Months/Facts?month={month}");
        using var compute = await hr.PostAsync($"/Months/Facts?month={month}&handler=Compute");
        var html = await compute.TextAsync();
        Assert.Equal(HttpStatusCode.BadRequest, compute.StatusCode);

        // At the top of the main content, before any form: the shared outcome, an alert, focusable.
        var main = Html.MainContent(html);
        var outcome = OutcomeBlock().Match(main);
        Assert.True(outcome.Success, "no outcome block at the top");
        Assert.True(outcome.Index < main.IndexOf("<form", StringComparison.Ordinal), "the outcome comes after a form");
        Assert.Contains("role=\"alert\"", outcome.Value, StringComparison.Ordinal);
        Assert.Contains("tabindex=\"-1\"", outcome.Value, StringComparison.Ordinal);
        var text = Html.Error(html) ?? string.Empty;
        Assert.Contains("张伟（E001）：主管尚未填写评分表", text, StringComparison.Ordinal);
        Assert.Contains("（E002）：主管评分表只有草稿，尚未提交", text, StringComparison.Ordinal);
        Assert.Contains("（E003）：尚未录入销售与缺岗数据", text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Sheets/Edit?month={month}&amp;person={noSheet}&amp;kind=Supervisor\"", outcome.Value, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Sheets/Edit?month={month}&amp;person={draft}&amp;kind=Supervisor\"", outcome.Value, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Months/Facts?month={month}&amp;q=E003\"", outcome.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("employee", text, StringComparison.Ordinal);

        // The links work for HR: the facts link finds the person's row.
        var row = await hr.PageAsync($"/Months/Facts?month={month}&q=E003");
        Assert.Contains($"data-person=\"{noFacts}\"", row, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await hr.GetAsync($"/Sheets/Edit?month={month}&person={draft}&kind=Supervisor")).StatusCode);
    }

    [Fact]
    public async Task Confirming_a_month_asks_once_with_its_summary_and_names_who_has_no_feedback_talk()
    {
        var month = app.Month(1);
        using var gm = await app.SignInAsync("gm");
        using var hr = await app.SignInAsync("hr");
        var row = await app.MonthRowAsync(month);
        await gm.PageAsync($"/Results/Month?month={month}");

        // Reopening: the first press shows what it does and changes nothing.
        using (var ask = await gm.PostAsync($"/Results/Month?handler=Reopen&month={month}", ("monthId", Text(row.Id)), ("version", Text(row.Version)), ("reason", "补录销售调整")))
        {
            var html = await ask.TextAsync();
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
            Assert.Contains("id=\"confirm-step\"", html, StringComparison.Ordinal);
            Assert.Contains("须重新计算", html, StringComparison.Ordinal);
            Assert.Equal(MonthStatus.Confirmed, (await app.MonthRowAsync(month)).Status);
        }

        using (var reopen = await gm.PostAsync($"/Results/Month?handler=Reopen&month={month}",
                   ("monthId", Text(row.Id)), ("version", Text(row.Version)), ("reason", "补录销售调整"), ("confirmed", "true")))
        {
            Assert.Equal(HttpStatusCode.Redirect, reopen.StatusCode);
        }

        await hr.PageAsync($"/Results/Month?month={month}");
        row = await app.MonthRowAsync(month);
        using (var compute = await hr.PostAsync($"/Results/Month?handler=Compute&month={month}", ("monthId", Text(row.Id))))
        {
            Assert.True(compute.StatusCode == HttpStatusCode.Redirect, Html.Error(await compute.TextAsync()));
        }

        row = await app.MonthRowAsync(month);
        var people = await app.DbAsync(db => db.Results.CountAsync(r => r.MonthId == row.Id, Ct));
        await gm.PageAsync($"/Results/Month?month={month}");
        using (var ask = await gm.PostAsync($"/Results/Month?handler=Confirm&month={month}", ("monthId", Text(row.Id)), ("version", Text(row.Version))))
        {
            var html = await ask.TextAsync();
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
            Assert.Contains($"发布 {people} 名员工的结果，工资合计", html, StringComparison.Ordinal);
            Assert.Contains("须人事复核", html, StringComparison.Ordinal);
            Assert.Contains("name=\"confirmed\" value=\"true\"", html, StringComparison.Ordinal);
            Assert.Equal(MonthStatus.Open, (await app.MonthRowAsync(month)).Status);
        }

        // A feedback talk missing: the refusal names the person with the team page where it is recorded.
        var e001 = await app.PersonIdAsync("E001");
        await app.DbAsync(db => db.FeedbackTalks.Where(t => t.MonthId == row.Id && t.PersonId == e001).ExecuteDeleteAsync(Ct));
        using (var refused = await gm.PostAsync($"/Results/Month?handler=Confirm&month={month}", ("monthId", Text(row.Id)), ("version", Text(row.Version)), ("confirmed", "true")))
        {
            var html = await refused.TextAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("张伟（E001）：尚未记录绩效面谈", Html.Error(html), StringComparison.Ordinal);
            Assert.Contains($"href=\"/Months/Team?month={month}#talk-date-{e001}\"", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("hr")]
    [InlineData("gm")]
    [InlineData("sup1")]
    [InlineData("agent01")]
    [InlineData("admin")]
    public async Task No_decision_number_or_item_key_appears_on_the_pages_a_role_reads(string user)
    {
        var open = await app.OpenMonthAsync();
        var confirmed = app.Month(1);
        var me = user == "agent01" ? await app.PersonIdAsync("E001") : 0;
        var e001 = await app.PersonIdAsync("E001");
        string[] pages =
        [
            "/", "/Months", $"/Months/Facts?month={open}", $"/Months/Team?month={open}", $"/Months/Import?month={open}",
            $"/Results/Month?month={confirmed}", $"/Results/Decisions?month={confirmed}", "/Results/Reviews", "/Results/Appeals",
            "/Results/History", "/Policy", "/People", "/People/MyData", "/Audit",
            $"/Pay/Payslip?month={confirmed}&person={(me == 0 ? e001 : me)}",
            $"/Sheets/Edit?month={open}&person={e001}&kind=Self", $"/Sheets/Edit?month={open}&person={e001}&kind=Supervisor",
        ];
        var keys = DefaultPolicy.Instance.Items.Select(i => i.Key).ToList();
        using var browser = await app.SignInAsync(user);
        var read = 0;
        foreach (var page in pages)
        {
            using var response = await browser.GetAsync(page);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }

            read++;
            var text = VisibleText(await response.TextAsync());
            Assert.False(DecisionNumber().IsMatch(text), $"{page} as {user}: “{DecisionNumber().Match(text).Value}” in “{Around(text, DecisionNumber().Match(text).Index)}”");
            foreach (var key in keys)
            {
                var found = Regex.Match(text, $@"\b{key}\b", RegexOptions.CultureInvariant);
                Assert.False(found.Success, $"{page} as {user}: the item key “{key}” in “{Around(text, found.Index)}”");
            }
        }

        Assert.True(read >= 3, $"{user} read only {read} pages");
    }

    /// <summary>The text of the main content as a person sees it: no tags, scripts or attribute values.</summary>
    private static string VisibleText(string html)
    {
        var main = Html.MainContent(html);
        main = Regex.Replace(main, "<(script|style|textarea)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        main = Regex.Replace(main, "<[^>]+>", " ", RegexOptions.CultureInvariant);
        return WebUtility.HtmlDecode(main);
    }

    private static string Around(string text, int index) => text.Substring(Math.Max(0, index - 40), Math.Min(100, text.Length - Math.Max(0, index - 40)));

    [GeneratedRegex(@"\bD[0-9]{1,2}\b|（D[0-9]{1,2}）", RegexOptions.CultureInvariant)]
    private static partial Regex DecisionNumber();

    [GeneratedRegex("<div class=\"outcome [^\"]*\"[^>]*>.*?</div>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex OutcomeBlock();
}
