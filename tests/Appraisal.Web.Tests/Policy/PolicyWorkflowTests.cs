using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.Core.Policy;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.Web.Pages.Policy;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Policy;

/// <summary>
/// D18 end to end: HR drafts and edits, the general manager approves from a month; confirmed months keep
/// their results and the next computation uses the new version. Roles are enforced by the commands.
/// </summary>
public sealed class PolicyWorkflowTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly string[] NewSalaries = ["1900", "1600", "1450", "1350", "1250"];

    [Fact]
    public async Task A_salary_change_approved_from_next_month_leaves_confirmed_months_alone_and_pays_from_the_next_computation()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var gm = await SignIn.AsAsync(app, "gm");
        var confirmed = new[] { demo.Current.PlusMonths(-3), demo.Current.PlusMonths(-2), demo.Previous };
        var before = await SnapshotAsync(hr, confirmed);

        // HR drafts from the seed and raises every position salary.
        var draftId = await PolicyPages.DraftAsync(hr, await PolicyPages.SeedIdAsync(app));
        var draft = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(PolicyStatus.Draft, draft.Status);
        var form = PolicyForm.From(PolicyStore.Parse(draft), "岗位工资上调 · salary raise");
        form.Salaries = [.. NewSalaries];
        using (var saved = await PolicyPages.EditAsync(hr, draftId, form, draft.Version))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        draft = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(1900m, PolicyStore.Parse(draft).Grades[0].PositionSalary);

        // The general manager approves it from next month.
        using (var approved = await PolicyPages.ApproveAsync(gm, draftId, demo.Next.ToString(), draft.Version))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        draft = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(PolicyStatus.Approved, draft.Status);
        Assert.Equal(demo.Next.ToString(), draft.EffectiveFrom);
        Assert.Equal("gm", draft.ApprovedBy);
        Assert.True(await app.DbAsync(db => db.Audit.AnyAsync(a => a.Action == "policy.approve" && a.Month == demo.Next.ToString())));

        // The open month is still under the old version (/api/policy answers for the calendar's month, which from the 1st
        // to the 6th is already the next one); confirmed months are as they were.
        Assert.Equal("seed-1", await app.WithServiceAsync<PolicyStore, string>(async p => (await p.InForceAsync(demo.Current, TestContext.Current.CancellationToken)).Version));

        Assert.Equal(before, await SnapshotAsync(hr, confirmed));

        // Next month: HR opens it, the supervisors assess, HR enters the facts and computes.
        using (var opened = await hr.PostAsJsonAsync("/api/months", new { month = demo.Next.ToString() }, cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        await AssessEveryoneAsync(demo, demo.Next.ToString());
        using (var computed = await hr.PostAsync($"/api/months/{demo.Next}/compute", null, TestContext.Current.CancellationToken))
        {
            Assert.True(computed.IsSuccessStatusCode, await computed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            using var body = JsonDocument.Parse(await computed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(12, body.RootElement.GetProperty("people").GetInt32());
            Assert.Equal(draft.VersionName, body.RootElement.GetProperty("month").GetProperty("policyVersion").GetString());
        }

        var policy = PolicyStore.Parse(draft);
        using var results = JsonDocument.Parse(await hr.GetStringAsync($"/api/months/{demo.Next}/results", TestContext.Current.CancellationToken));
        var rows = results.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(draft.VersionName, r.GetProperty("policyVersion").GetString());
            var band = policy.Grades.Single(g => g.Label.Zh == r.GetProperty("grade").GetString());
            Assert.Equal(band.PositionSalary, r.GetProperty("positionSalary").GetDecimal());
            Assert.Contains(band.PositionSalary.ToString(System.Globalization.CultureInfo.InvariantCulture), NewSalaries);
        });

        Assert.Equal(before, await SnapshotAsync(hr, confirmed));
    }

    [Fact]
    public async Task The_general_manager_cannot_edit_and_HR_cannot_approve()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var gm = await SignIn.AsAsync(app, "gm");
        var draftId = await PolicyPages.DraftAsync(hr, await PolicyPages.SeedIdAsync(app));
        var draft = await PolicyPages.RowAsync(app, draftId);
        var form = PolicyForm.From(PolicyStore.Parse(draft), null);
        form.Salaries[0] = "9999";

        using (var edit = await PolicyPages.EditAsync(gm, draftId, form, draft.Version))
        {
            Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        }

        using (var approve = await PolicyPages.ApproveAsync(hr, draftId, demo.Next.PlusMonths(6).ToString(), draft.Version))
        {
            Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        }

        // Nor may the general manager draft: drafting is HR's (第十三条).
        using (var gmDraft = await PolicyPages.DraftResponseAsync(gm, draftId))
        {
            Assert.Equal(HttpStatusCode.Forbidden, gmDraft.StatusCode);
        }

        var after = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(draft.Json, after.Json);
        Assert.Equal(PolicyStatus.Draft, after.Status);
        Assert.Equal(draft.Version, after.Version);

        // An agent can do neither.
        using var agent = await SignIn.AsAsync(app, "agent01");
        using (var edit = await PolicyPages.EditAsync(agent, draftId, form, draft.Version))
        {
            Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        }
    }

    [Fact]
    public async Task An_invalid_draft_shows_every_problem_and_saves_nothing()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var draftId = await PolicyPages.DraftAsync(hr, await PolicyPages.SeedIdAsync(app));
        var draft = await PolicyPages.RowAsync(app, draftId);
        var form = PolicyForm.From(PolicyStore.Parse(draft), "broken");
        form.Salaries[0] = "abc";
        form.MinScores[1] = "96";
        form.TierRates[2] = "150";
        form.LevelZh[0] = "";
        form.ToDay = "40";
        form.BonusAmount = "-1";

        using var response = await PolicyPages.EditAsync(hr, draftId, form, draft.Version);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        foreach (var where in new[]
        {
            "grades[0](excellent).positionSalary", "grades[1](good).minScore", "commission.tiers[2].rate",
            "groups[0](behaviour).items[0](discipline).levels[0].text", "process.appraisalWindow", "bonus.amount",
        })
        {
            // Each problem named in plain words (never the policy's internal path or keys).
            Assert.Contains(Appraisal.App.Policy.PolicyPlace.Describe(where).Zh, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            Assert.DoesNotContain(where, html, StringComparison.Ordinal);
        }

        Assert.Contains("未保存：发现 6 处问题", html, StringComparison.Ordinal);

        // The advanced JSON: unreadable text, and a renamed version, are refused the same way.
        using (var broken = await PolicyPages.EditJsonAsync(hr, draftId, "{ \"schemaVersion\": 1,", draft.Version))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        }

        var renamed = PolicyJson.Serialize(PolicyStore.Parse(draft) with { Version = "other", Weights = new ScoreWeights(0.5m, 0.6m) });
        using (var rename = await PolicyPages.EditJsonAsync(hr, draftId, renamed, draft.Version))
        {
            Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);
            var text = await rename.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("weights", text, StringComparison.Ordinal);
            Assert.Contains("版本名须保持为", text, StringComparison.Ordinal);
        }

        var after = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(draft.Json, after.Json);
        Assert.Equal(draft.Version, after.Version);
        Assert.False(await app.DbAsync(db => db.Audit.AnyAsync(a => a.Action == "policy.edit" && a.Detail == draft.VersionName)));
    }

    [Fact]
    public async Task The_advanced_JSON_saves_a_valid_document_and_a_stale_form_is_a_conflict()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var draftId = await PolicyPages.DraftAsync(hr, await PolicyPages.SeedIdAsync(app));
        var draft = await PolicyPages.RowAsync(app, draftId);
        var changed = PolicyStore.Parse(draft) with { Bonus = new BonusRule(1, 2, 300m) };

        using (var saved = await PolicyPages.EditJsonAsync(hr, draftId, PolicyJson.Serialize(changed), draft.Version))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var after = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(300m, PolicyStore.Parse(after).Bonus.Amount);
        Assert.NotEqual(draft.Version, after.Version);

        // Saving again with the version read before the first save: someone else changed it meanwhile.
        using var stale = await PolicyPages.EditJsonAsync(hr, draftId, PolicyJson.Serialize(changed with { Bonus = new BonusRule(1, 2, 400m) }), draft.Version);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(300m, PolicyStore.Parse(await PolicyPages.RowAsync(app, draftId)).Bonus.Amount);
    }

    [Fact]
    public async Task The_effective_month_must_come_after_every_confirmed_month()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var gm = await SignIn.AsAsync(app, "gm");
        var draftId = await PolicyPages.DraftAsync(hr, await PolicyPages.SeedIdAsync(app));
        var draft = await PolicyPages.RowAsync(app, draftId);

        foreach (var month in new[] { demo.Previous.ToString(), demo.Current.PlusMonths(-3).ToString(), "2020-01", "2026-13" })
        {
            using var response = await PolicyPages.ApproveAsync(gm, draftId, month, draft.Version);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

            // The first press checks the same: it refuses with the reason instead of asking to approve.
            using var first = await PolicyPages.ApproveAsync(gm, draftId, month, draft.Version, confirmed: false);
            Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
            var page = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("name=\"Confirmed\"", page, StringComparison.Ordinal);
        }

        // A month that may take the draft gets the summary and the second press.
        using (var asked = await PolicyPages.ApproveAsync(gm, draftId, demo.Current.PlusMonths(1).ToString(), draft.Version, confirmed: false))
        {
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            Assert.Contains("name=\"Confirmed\"", await asked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        var after = await PolicyPages.RowAsync(app, draftId);
        Assert.Equal(PolicyStatus.Draft, after.Status);
        Assert.Null(after.EffectiveFrom);
    }

    private static async Task<Dictionary<string, string>> SnapshotAsync(HttpClient client, IEnumerable<Core.Months.YearMonth> months)
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var month in months)
        {
            snapshot[month.ToString()] = await client.GetStringAsync($"/api/months/{month}/results", TestContext.Current.CancellationToken);
        }

        return snapshot;
    }

    /// <summary>Each team's supervisor submits a sheet through the API; HR's facts go straight to the database (their pages are another feature's).</summary>
    private async Task AssessEveryoneAsync(Demo demo, string month)
    {
        var policy = DefaultPolicy.Instance;
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        using var sup2 = await SignIn.AsAsync(app, "sup2");
        for (var k = 1; k <= 12; k++)
        {
            var items = policy.Items.Select((item, i) =>
            {
                var level = (k + i) % item.Levels.Length;
                return new { itemKey = item.Key, levelIndex = level, score = item.Levels[level].Max, comment = (string?)null };
            }).ToList();
            var person = demo.Id($"E{k:D3}");
            using var saved = await (k <= 6 ? sup1 : sup2).PutAsJsonAsync($"/api/months/{month}/sheets/{person}/supervisor",
                new { items, comment = "API", submit = true, version = (int?)null }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await app.DbAsync(async db =>
        {
            var monthId = await db.Months.Where(m => m.Month == month).Select(m => m.Id).FirstAsync();
            for (var k = 1; k <= 12; k++)
            {
                db.Facts.Add(new MonthFacts
                {
                    MonthId = monthId,
                    PersonId = demo.Id($"E{k:D3}"),
                    SalesPlan = 100_000m,
                    SalesActual = 80_000m + (k * 5_000m),
                    UpdatedBy = "hr",
                });
            }

            return await db.SaveChangesAsync();
        });
    }
}
