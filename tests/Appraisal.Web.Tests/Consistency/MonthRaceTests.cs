using System.Globalization;
using System.Net;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Appraisal.Web.Tests.Consistency.RaceHelpers;

namespace Appraisal.Web.Tests.Consistency;

/// <summary>
/// Compute, confirm, a sheet submit and a facts save on the same month, really raced (parallel requests
/// released by a barrier, many rounds): nobody gets a 500, the loser gets a clear 409, and after every round
/// the month is consistent — results marked current are complete and match the data; a confirmed month has
/// them (issue 7, D16).
/// </summary>
public sealed class MonthRaceTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Rounds = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Compute_racing_a_sheet_submit_never_stores_results_older_than_the_data()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        var lostComputes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var no = $"E{round % 11 + 2:000}";
            var id = await app.PersonIdAsync(no);
            await ForgetSelfSheetAsync(app, month, id);
            using var agent = await app.SignInAsync($"agent{round % 11 + 2:00}");
            var answers = await RaceAsync(
                () => hr.Client.SendAsync("POST", $"/api/months/{month}/compute"),
                () => agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: true, version: null)));

            // The submit never loses to a computation (the month stays open); the computation may lose to it.
            answers[1].AssertOk();
            lostComputes += WonOrConflict(answers[0]) ? 0 : 1;
            await AssertConsistentAsync(app, month);
        }

        TestContext.Current.SendDiagnosticMessage($"compute vs submit: {lostComputes} of {Rounds} computations refused with 409");
    }

    [Fact]
    public async Task Compute_racing_a_facts_save_never_stores_results_older_than_the_data()
    {
        using var hr = await app.SignInAsync("hr");
        using var hr2 = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        for (var round = 0; round < Rounds; round++)
        {
            var id = await app.PersonIdAsync($"E{round % 12 + 1:000}");
            var facts = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == id && f.Month!.Month == month, Ct));
            var body = new
            {
                rows = new[] { new { personId = id, salesPlan = facts.SalesPlan, salesActual = facts.SalesActual + 1, absentDays = facts.AbsentDays, eligibility = (string?)null, overrideReason = (string?)null, version = (int?)facts.Version } },
            };
            var answers = await RaceAsync(
                () => hr.Client.SendAsync("POST", $"/api/months/{month}/compute"),
                () => hr2.Client.SendAsync("PUT", $"/api/months/{month}/facts", body));
            Assert.Equal(1, answers[1].AssertOk().GetProperty("changed").GetInt32());
            WonOrConflict(answers[0]);
            await AssertConsistentAsync(app, month);
        }
    }

    [Fact]
    public async Task Confirm_racing_a_computation_lets_exactly_one_of_them_through()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        for (var round = 0; round < Rounds; round++)
        {
            await OpenAndComputeAsync(gm.Client, hr.Client, month);
            var (version, _) = await MonthAsync(gm.Client, month);
            var answers = await RaceAsync(
                () => gm.Client.SendAsync("POST", $"/api/months/{month}/confirm", new { version }),
                () => hr.Client.SendAsync("POST", $"/api/months/{month}/compute"));

            // Confirmed first: the computation finds the month locked. Computed first: the confirmation was of
            // the results the general manager had seen, which are gone.
            Assert.Equal(1, answers.Count(WonOrConflict));
            await AssertConsistentAsync(app, month);
        }
    }

    [Fact]
    public async Task Reopen_racing_a_computation_reopens_and_never_leaves_half_or_stale_current_results()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        var computedAfter = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var version = await ConfirmedAsync(gm.Client, hr.Client, month);
            var answers = await RaceAsync(
                () => gm.Client.SendAsync("POST", $"/api/months/{month}/reopen", new { reason = "并发测试：与计算同时重新开启", person = (int?)null, version }),
                () => hr.Client.SendAsync("POST", $"/api/months/{month}/compute"));

            // The month was confirmed: the reopening always goes through. The computation either found it still
            // confirmed (409, nothing stored) or ran on the reopened month (200, its results current and complete).
            answers[0].AssertOk();
            computedAfter += WonOrConflict(answers[1]) ? 1 : 0;
            var row = await app.MonthRowAsync(month);
            Assert.Equal(MonthStatus.Open, row.Status);
            Assert.Equal(answers[1].Status == HttpStatusCode.OK, row.ComputedAt is not null);
            await AssertConsistentAsync(app, month);
        }

        TestContext.Current.SendDiagnosticMessage($"reopen vs compute: {computedAfter} of {Rounds} computations ran after the reopening");
    }

    [Fact]
    public async Task Reopen_racing_a_confirmation_lets_exactly_one_of_them_through()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        using var gm2 = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        for (var round = 0; round < Rounds; round++)
        {
            // Every other round from each side: confirmed (the reopening may go through) and open with current
            // results (the confirmation may); both press with the version their page showed.
            int version;
            if (round % 2 == 0)
            {
                version = await ConfirmedAsync(gm.Client, hr.Client, month);
            }
            else
            {
                await OpenAndComputeAsync(gm.Client, hr.Client, month);
                (version, _) = await MonthAsync(gm.Client, month);
            }

            var answers = await RaceAsync(
                () => gm.Client.SendAsync("POST", $"/api/months/{month}/reopen", new { reason = "并发测试：与确认同时重新开启", person = (int?)null, version }),
                () => gm2.Client.SendAsync("POST", $"/api/months/{month}/confirm", new { version }));

            Assert.Equal(1, answers.Count(WonOrConflict));
            var row = await app.MonthRowAsync(month);
            Assert.Equal(answers[1].Status == HttpStatusCode.OK ? MonthStatus.Confirmed : MonthStatus.Open, row.Status);
            await AssertConsistentAsync(app, month);
        }
    }

    /// <summary>The month confirmed (reopened, computed and confirmed when it is not); its version as the general manager's page shows it.</summary>
    private static async Task<int> ConfirmedAsync(HttpClient gm, HttpClient hr, string month)
    {
        var (version, status) = await MonthAsync(gm, month);
        if (status != "confirmed")
        {
            (await hr.SendAsync("POST", $"/api/months/{month}/compute")).AssertOk();
            (version, _) = await MonthAsync(gm, month);
            (await gm.SendAsync("POST", $"/api/months/{month}/confirm", new { version })).AssertOk();
            (version, _) = await MonthAsync(gm, month);
        }

        return version;
    }

    [Fact]
    public async Task Confirm_racing_a_sheet_submit_never_confirms_stale_results()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        for (var round = 0; round < Rounds; round++)
        {
            var id = await app.PersonIdAsync($"E{round % 11 + 2:000}");
            var (_, status) = await MonthAsync(gm.Client, month);
            if (status == "confirmed")
            {
                var (v, _) = await MonthAsync(gm.Client, month);
                (await gm.Client.SendAsync("POST", $"/api/months/{month}/reopen", new { reason = "并发测试：重新开启", person = (int?)null, version = v })).AssertOk();
            }

            await ForgetSelfSheetAsync(app, month, id);
            (await hr.Client.SendAsync("POST", $"/api/months/{month}/compute")).AssertOk();
            var (version, _) = await MonthAsync(gm.Client, month);
            using var agent = await app.SignInAsync($"agent{round % 11 + 2:00}");
            var answers = await RaceAsync(
                () => gm.Client.SendAsync("POST", $"/api/months/{month}/confirm", new { version }),
                () => agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: true, version: null)));

            // Confirmed first: the month is locked for the submit. Submitted first: the results are stale.
            Assert.Equal(1, answers.Count(WonOrConflict));
            await AssertConsistentAsync(app, month);
        }
    }

    [Fact]
    public async Task Recomputing_replaces_the_results_in_one_transaction()
    {
        using var hr = await app.SignInAsync("hr");
        using var sup1 = await app.SignInAsync("sup1");
        using var gm = await app.SignInAsync("gm");
        var month = await ReadyAsync(app, hr.Client, sup1.Client, gm.Client);
        await OpenAndComputeAsync(gm.Client, hr.Client, month);
        var monthId = (await app.MonthRowAsync(month)).Id;
        var appraised = await app.DbAsync(db => db.Results.CountAsync(r => r.MonthId == monthId, Ct));

        // A reader polling while the month is computed again and again never sees it half stored (with the old
        // results deleted and committed before the new ones were saved, it saw none for a moment).
        using var stop = new CancellationTokenSource();
        var seen = new List<int>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var count = await app.DbAsync(db => db.Results.CountAsync(r => r.MonthId == monthId, Ct));
                lock (seen)
                {
                    seen.Add(count);
                }
            }
        }, Ct);
        var answers = await RaceAsync(Enumerable.Range(0, Rounds).Select(_ => (Func<Task<(HttpStatusCode, System.Text.Json.JsonElement)>>)(() => hr.Client.SendAsync("POST", $"/api/months/{month}/compute"))).ToArray());
        await stop.CancelAsync();
        await reader;
        Assert.All(answers, a => WonOrConflict(a));
        Assert.Contains(answers, a => a.Item1 == HttpStatusCode.OK);
        Assert.NotEmpty(seen);
        Assert.All(seen, count => Assert.True(count == appraised, string.Create(CultureInfo.InvariantCulture, $"a reader saw {count} of {appraised} results")));
        await AssertConsistentAsync(app, month);
    }
}
