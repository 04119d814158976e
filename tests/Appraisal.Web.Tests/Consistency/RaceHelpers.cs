using System.Globalization;
using System.Net;
using System.Text.Json;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Consistency;

/// <summary>
/// What the race tests share: starting requests at the same instant, the open month made computable,
/// the API bodies of a sheet, and the check that the database is consistent after a race.
/// </summary>
internal static class RaceHelpers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Runs every call on its own thread, all released at once by a barrier (so that they really overlap),
    /// and returns their answers in order.
    /// </summary>
    public static async Task<T[]> RaceAsync<T>(params Func<Task<T>>[] calls)
    {
        using var barrier = new Barrier(calls.Length);
        var tasks = calls.Select(call => Task.Run(async () =>
        {
            barrier.SignalAndWait(Ct);
            return await call();
        })).ToArray();
        return await Task.WhenAll(tasks);
    }

    /// <summary>A whole sheet of the seed policy (second level, its highest score), as the sheets API takes it.</summary>
    public static object SheetBody(bool submit, int? version, string? comment = null, string? itemComment = null) => new
    {
        items = DefaultPolicy.Instance.Items.Select(i => new { itemKey = i.Key, levelIndex = 1, score = i.Levels[1].Max, comment = itemComment }).ToList(),
        comment,
        submit,
        version,
    };

    /// <summary>
    /// Makes the demo's open month computable and confirmable: agent01 (the one the demo leaves out) gets
    /// facts, a submitted supervisor sheet and a feedback talk, through the API like anyone would.
    /// </summary>
    public static async Task<string> ReadyAsync(AppFactory app, HttpClient hr, HttpClient sup1, HttpClient gm)
    {
        // The current month; a race before may have left it confirmed.
        var month = app.Month(0);
        var (version, status) = await MonthAsync(gm, month);
        if (status == "confirmed")
        {
            (await gm.SendAsync("POST", $"/api/months/{month}/reopen", new { reason = "并发测试：重新开启", person = (int?)null, version })).AssertOk();
        }

        var id = await app.PersonIdAsync("E001");
        var facts = (await hr.SendAsync("GET", $"/api/months/{month}/facts")).AssertOk();
        var row = facts.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("personId").GetInt32() == id);
        if (row.GetProperty("version").ValueKind == JsonValueKind.Null)
        {
            (await hr.SendAsync("PUT", $"/api/months/{month}/facts", new
            {
                rows = new[] { new { personId = id, salesPlan = 80000m, salesActual = 91234.5m, absentDays = 1, eligibility = (string?)null, overrideReason = (string?)null, version = (int?)null } },
            })).AssertOk();
        }

        var sheet = await app.DbAsync(db => db.Sheets.AsNoTracking().SingleOrDefaultAsync(s => s.PersonId == id && s.Month!.Month == month && s.Kind == SheetKind.Supervisor, Ct));
        if (sheet?.SubmittedAt is null)
        {
            (await sup1.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/supervisor", SheetBody(submit: true, sheet?.Version))).AssertOk();
        }

        if (!await app.DbAsync(db => db.FeedbackTalks.AnyAsync(t => t.PersonId == id && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), Ct)))
        {
            (await sup1.SendAsync("PUT", $"/api/months/{month}/talks/{id}", new { date = app.Today, notes = "面谈要点", version = (int?)null })).AssertOk();
        }

        return month;
    }

    /// <summary>The month as the API shows it: its Version (for confirm and reopen) and status.</summary>
    public static async Task<(int Version, string Status)> MonthAsync(HttpClient client, string month)
    {
        var m = (await client.SendAsync("GET", $"/api/months/{month}")).AssertOk();
        return (m.GetProperty("version").GetInt32(), m.GetProperty("status").GetString()!);
    }

    /// <summary>Reopens the month when a race left it confirmed, then computes it (both must succeed).</summary>
    public static async Task OpenAndComputeAsync(HttpClient gm, HttpClient hr, string month)
    {
        var (version, status) = await MonthAsync(gm, month);
        if (status == "confirmed")
        {
            (await gm.SendAsync("POST", $"/api/months/{month}/reopen", new { reason = "并发测试：重新开启", person = (int?)null, version })).AssertOk();
        }

        (await hr.SendAsync("POST", $"/api/months/{month}/compute")).AssertOk();
    }

    /// <summary>
    /// Removes a person's self-assessment of the month, as if never started, and marks the month's data as
    /// changed the way a command would (a new race starts from a sheet that does not exist).
    /// </summary>
    public static Task ForgetSelfSheetAsync(AppFactory app, string month, int personId) => app.DbAsync(async db =>
    {
        await using var tx = await db.Database.BeginTransactionAsync(Ct);
        await db.Sheets.Where(s => s.PersonId == personId && s.Kind == SheetKind.Self && s.Month!.Month == month).ExecuteDeleteAsync(Ct);
        await db.Months.Where(m => m.Month == month && m.Status == MonthStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DataVersion, m => m.DataVersion + 1).SetProperty(m => m.ComputedAt, (DateTime?)null), Ct);
        await tx.CommitAsync(Ct);
        return 0;
    });

    /// <summary>
    /// A refused racer: 409 with the bilingual problem, never a 500 (the answer is shown in the message when not).
    /// </summary>
    public static void AssertConflict((HttpStatusCode Status, JsonElement Body) answer)
    {
        answer.AssertProblem(HttpStatusCode.Conflict);
        Assert.False(string.IsNullOrWhiteSpace(answer.Body.GetProperty("zh").GetString()), answer.Body.ToString());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body.GetProperty("en").GetString()), answer.Body.ToString());
    }

    /// <summary>Either the racer succeeded (200) or it lost with a clear 409; returns whether it succeeded.</summary>
    public static bool WonOrConflict((HttpStatusCode Status, JsonElement Body) answer)
    {
        if (answer.Status == HttpStatusCode.OK)
        {
            return true;
        }

        AssertConflict(answer);
        return false;
    }

    /// <summary>
    /// The month is consistent: a confirmed month has results; results marked current (ComputedAt set) are
    /// one per appraised person and equal what the engine computes from the data as stored now; results
    /// that are stale are still complete (the old snapshot whole) or absent — never half.
    /// </summary>
    public static async Task AssertConsistentAsync(AppFactory app, string month)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        var ym = YearMonth.Parse(month);
        var m = await db.Months.AsNoTracking().SingleAsync(x => x.Month == month, Ct);
        var stored = await db.Results.AsNoTracking().Include(r => r.Person).Where(r => r.MonthId == m.Id).ToListAsync(Ct);
        var appraised = (await ComputeResults.AppraisedPeopleAsync(db, ym, Ct)).Select(p => p.Id).ToHashSet();
        if (m.Status == MonthStatus.Confirmed)
        {
            Assert.NotNull(m.ComputedAt);
        }

        Assert.True(stored.Count == 0 || appraised.SetEquals(stored.Select(r => r.PersonId)),
            $"{month}: {stored.Count} results for {appraised.Count} appraised people");
        if (m.ComputedAt is null)
        {
            return;
        }

        Assert.Equal(appraised.Count, stored.Count);
        var policy = await policies.InForceAsync(ym, Ct);
        var input = await ComputeResults.BuildInputAsync(db, policy, month, Ct);
        var fresh = Evaluator.Evaluate(input, policy).Months.Single(x => x.Month == ym).Results.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var r in stored)
        {
            var e = fresh[r.Person!.EmployeeNo];
            var where = string.Create(CultureInfo.InvariantCulture, $"{month} {r.Person.EmployeeNo}: results marked current differ from the data");
            Assert.True(e.SelfTotal == r.SelfTotal && e.SupervisorTotal == r.SupervisorTotal && e.Score == r.Score && e.TotalPay == r.TotalPay
                && e.Flags == r.Flags && e.SalesActual == r.SalesActual && e.AbsentDaysInWindow == r.AbsentDaysInWindow, where);
        }
    }
}
