using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// Past months imported into a company that starts in the product this month (the demo with its past months taken
/// away): the first month computed in the product knows who was first and who failed before, and whose absence
/// fills the window (第十一条, 第二条); without the history the engine gives none of it. The same file again changes
/// nothing; a month that is not past or already run in the product is refused (SQLite and PostgreSQL).
/// </summary>
public sealed class HistoryImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly int[] Max = [5, 10, 10, 5, 40, 20, 5, 5];
    private static readonly int[] Medium = [4, 8, 8, 4, 30, 16, 4, 4];
    private static readonly int[] Zero = [0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly string[] Keys = ["discipline", "problemSolving", "teamwork", "passion", "performance", "complaints", "promotion", "summary"];

    [Fact]
    public async Task Two_imported_months_give_the_first_live_month_its_bonus_fail_flag_and_absence_window()
    {
        var ct = TestContext.Current.CancellationToken;
        var demo = await Demo.LoadAsync(app);
        var live = demo.Current;
        var (m2, m1) = (live.PlusMonths(-2), live.PlusMonths(-1));
        await StartThisMonthAsync(app, live);
        var agents = Enumerable.Range(1, 12).Select(i => $"E{i:D3}").ToList();

        // M−2: E005 first; M−1: E002 first, E003 fails; E004 absent 25 days in each.
        var file = new StringBuilder("month\temployeeNo\t" + string.Join('\t', Keys.Select(k => $"self.{k}")) + '\t' + string.Join('\t', Keys.Select(k => $"supervisor.{k}")) + "\tsalesPlan\tsalesActual\tabsentDays\n");
        foreach (var (month, first, failing) in new[] { (m2, "E005", (string?)null), (m1, "E002", "E003") })
        {
            foreach (var (no, i) in agents.Select((n, i) => (n, i)))
            {
                var scores = no == first ? Max : no == failing ? Zero : Medium;
                var line = string.Join('\t', scores);
                file.Append(CultureInfo.InvariantCulture, $"{month}\t{no}\t{line}\t{line}\t80000\t{80000 + (i * 1000)}\t{(no == "E004" ? 25 : 0)}\n");
            }
        }

        using var hr = await SignIn.AsAsync(app, "hr");
        var preview = (await hr.SendAsync("POST", "/api/imports/history/paste", new { text = file.ToString() })).AssertOk();
        Assert.Equal(24, preview.GetProperty("new").GetInt32());
        Assert.Equal(24, (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());

        var months = await app.DbAsync(db => db.Months.AsNoTracking().OrderBy(m => m.Month).ToListAsync(ct));
        Assert.Equal([m2.ToString(), m1.ToString(), live.ToString()], months.Select(m => m.Month));
        Assert.All(months.Take(2), m => Assert.Equal((MonthStatus.Confirmed, "(imported history)"), (m.Status, m.OpenedBy)));
        var imported = await ResultsAsync(m1);
        Assert.Equal(1, imported["E002"].Rank);
        Assert.Equal(0m, imported["E002"].Bonus);
        Assert.Equal("fail", imported["E003"].GradeKey);

        // The first live month: E002 first again, E003 fails again, E004 absent 15 more days.
        await app.DbAsync(async db =>
        {
            var month = await db.Months.SingleAsync(m => m.Month == live.ToString(), ct);
            foreach (var (no, i) in agents.Select((n, i) => (n, i)))
            {
                var person = await db.People.SingleAsync(p => p.EmployeeNo == no, ct);
                await SetAsync(db, month.Id, person.Id, no == "E002" ? Max : no == "E003" ? Zero : Medium, 81000 + (i * 1000), no == "E004" ? 15 : 0);
            }

            return await db.SaveChangesAsync(ct);
        });
        var hrActor = new Actor("hr", demo.Id("H001"), new HashSet<string> { Roles.Hr });
        var liveId = months[2].Id;
        await app.WithServiceAsync<ComputeResults, int>(c => c.ExecuteAsync(hrActor, liveId, ct));
        var results = await ResultsAsync(live);
        Assert.Equal(1, results["E002"].Rank);
        Assert.Equal(200m, results["E002"].Bonus);
        Assert.NotEqual(ResultFlags.None, results["E003"].Flags & ResultFlags.ConsecutiveFail);
        Assert.False(results["E004"].Eligible);
        Assert.Equal(65, results["E004"].AbsentDaysInWindow);

        // The engine on the live month alone (no history) gives none of the three: the history made the difference.
        Dictionary<string, EmployeeResult> alone;
        await using (var scope = app.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().InForceAsync(live, ct);
            var input = await ComputeResults.BuildInputAsync(db, policy, live.ToString(), ct);
            alone = Evaluator.Evaluate(new EvaluationInput([input.Months.Single(m => m.Month == live)]), policy).Months.Single().Results.ToDictionary(r => r.Id, StringComparer.Ordinal);
        }

        Assert.Equal(0m, alone["E002"].Bonus);
        Assert.Equal(ResultFlags.None, alone["E003"].Flags & ResultFlags.ConsecutiveFail);
        Assert.True(alone["E004"].Eligible);

        // The same file again changes nothing at all.
        var before = await DatabaseSnapshot.TakeAsync(app);
        var again = (await hr.SendAsync("POST", "/api/imports/history/paste", new { text = file.ToString() })).AssertOk();
        Assert.Equal(24, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, (await hr.SendAsync("POST", $"/api/imports/confirm/{again.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));

        // A changed score replaces the old one: M−1 and what follows from it are computed again, the live month's results go stale.
        var changed = file.ToString().Replace($"{m1}\tE006\t{string.Join('\t', Medium)}", $"{m1}\tE006\t{string.Join('\t', Max)}", StringComparison.Ordinal);
        var third = (await hr.SendAsync("POST", "/api/imports/history/paste", new { text = changed })).AssertOk();
        Assert.Equal(1, third.GetProperty("changed").GetInt32());
        (await hr.SendAsync("POST", $"/api/imports/confirm/{third.GetProperty("token").GetString()}")).AssertOk();
        Assert.Equal(100, (await ResultsAsync(m1))["E006"].SelfTotal);
        Assert.Null((await app.MonthRowAsync(live.ToString())).ComputedAt);
        var audited = await app.DbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Action == "history.update", ct));
        Assert.Contains("\"old\":\"4\"", audited.Changes, StringComparison.Ordinal);

        // Refused: this month (not past), a score outside every level, an unknown number; nothing changes.
        var header = file.ToString()[..(file.ToString().IndexOf('\n', StringComparison.Ordinal) + 1)];
        var medium = string.Join('\t', Medium);
        var wrong = string.Join('\t', Medium.Select((v, i) => i == 1 ? 11 : v));
        var bad = header + $"{live}\tE001\t{medium}\t{medium}\t1\t1\t0\n{m1}\tE002\t{medium}\t{wrong}\t1\t1\t0\n{m1}\tX999\t{medium}\t{medium}\t1\t1\t0\n";
        before = await DatabaseSnapshot.TakeAsync(app);
        var answer = await hr.SendAsync("POST", "/api/imports/history/paste", new { text = bad });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var places = answer.Body.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("column").GetString()}{p.GetProperty("row").GetInt32()}").ToList();
        Assert.Contains("A2", places);
        Assert.Contains("L3", places);
        Assert.Contains("B4", places);
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    private Task<Dictionary<string, StoredResult>> ResultsAsync(YearMonth month) => app.DbAsync(async db =>
    {
        var id = await db.Months.Where(m => m.Month == month.ToString()).Select(m => m.Id).SingleAsync(TestContext.Current.CancellationToken);
        return await db.Results.AsNoTracking().Include(r => r.Person).Where(r => r.MonthId == id)
            .ToDictionaryAsync(r => r.Person!.EmployeeNo, StringComparer.Ordinal, TestContext.Current.CancellationToken);
    });

    /// <summary>The demo without its past months: a company whose first month in the product is this one.</summary>
    private static Task<int> StartThisMonthAsync(AppFactory app, YearMonth live) => app.DbAsync(async db =>
    {
        var ct = TestContext.Current.CancellationToken;
        var old = await db.Months.Where(m => m.Month != live.ToString()).Select(m => m.Id).ToListAsync(ct);
        await db.FlagReviews.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.Appeals.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.Acknowledgements.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.Results.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.FeedbackTalks.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.PayAdjustments.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.Facts.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        await db.WindowExtensions.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        var sheets = await db.Sheets.Where(x => old.Contains(x.MonthId)).Select(x => x.Id).ToListAsync(ct);
        await db.SheetItems.Where(x => sheets.Contains(x.SheetId)).ExecuteDeleteAsync(ct);
        await db.Sheets.Where(x => old.Contains(x.MonthId)).ExecuteDeleteAsync(ct);
        return await db.Months.Where(m => old.Contains(m.Id)).ExecuteDeleteAsync(ct);
    });

    /// <summary>A person's submitted sheets (both the same) and facts in a month, as if entered on the pages.</summary>
    private static async Task SetAsync(AppDbContext db, int monthId, int personId, int[] scores, decimal actual, int absent)
    {
        var ct = TestContext.Current.CancellationToken;
        var policy = Core.Policy.DefaultPolicy.Instance;
        foreach (var kind in new[] { SheetKind.Self, SheetKind.Supervisor })
        {
            var sheet = await db.Sheets.Include(s => s.Items).FirstOrDefaultAsync(s => s.MonthId == monthId && s.PersonId == personId && s.Kind == kind, ct);
            if (sheet is null)
            {
                sheet = new Sheet { MonthId = monthId, PersonId = personId, Kind = kind };
                db.Sheets.Add(sheet);
            }

            sheet.Items.Clear();
            sheet.Items.AddRange(Keys.Select((k, i) => new SheetItem { ItemKey = k, Score = scores[i], LevelIndex = policy.Items[i].Levels.ToList().FindIndex(l => l.Holds(scores[i])) }));
            sheet.SubmittedAt = DateTime.UtcNow;
            sheet.SubmittedBy = "test";
        }

        var facts = await db.Facts.FirstOrDefaultAsync(f => f.MonthId == monthId && f.PersonId == personId, ct);
        if (facts is null)
        {
            facts = new MonthFacts { MonthId = monthId, PersonId = personId };
            db.Facts.Add(facts);
        }

        (facts.SalesPlan, facts.SalesActual, facts.AbsentDays) = (80000m, actual, absent);
    }
}
