using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using static Appraisal.Web.Tests.Reliability.ProcessCalls;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// Crash safety (issue 7 §2): the real application is SIGKILLed in the middle of a change — after its first
/// write, held there by the configured <see cref="PauseAfterCommand"/> hook — and started again. The database
/// must pass its integrity check and hold either the whole change or none of it, with the audit entry iff the
/// change. SQLite and PostgreSQL (the provider of the run).
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task A_month_of_5000_agents_killed_while_computing_keeps_its_old_or_new_results_complete()
    {
        const int Agents = 5000;
        await using var database = new ProcessDatabase();
        await database.SeedAsync(Month, Agents, compute: true);
        var monthId = await database.ScalarAsync<long>($"SELECT \"Id\" FROM \"Months\" WHERE \"Month\" = '{Month}'");
        var oldResults = await ResultsAsync(database, monthId);
        Assert.Equal(Agents, oldResults.Count);
        var oldAudits = await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"Audit\" WHERE \"Action\" = 'results.compute'");

        // New facts, so that new results differ from the old ones in content, not only in time.
        await database.ExecuteAsync($"UPDATE \"Facts\" SET \"SalesActual\" = \"SalesActual\" + 1000 WHERE \"MonthId\" = {monthId}");

        await KillInTheMiddleAsync(database, "hr", "(DELETE FROM|INSERT INTO|UPDATE) \"Results\"",
            client => client.PostAsync(new Uri($"/api/months/{Month}/compute", UriKind.Relative), null));

        using var app = await RestartAsync(database);
        Assert.Equal("ok", await database.IntegrityAsync());
        var after = await ResultsAsync(database, monthId);
        var audits = await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"Audit\" WHERE \"Action\" = 'results.compute'");
        var kept = after.SequenceEqual(oldResults);
        var replaced = after.Count == Agents && after.Select(r => r.Split('|')[^1]).Distinct().Count() == 1 && !after.Intersect(oldResults).Any();
        Assert.True(kept || replaced, $"the month holds {after.Count} results of {Agents}: neither the old complete set nor a new complete one");
        Assert.Equal(replaced ? oldAudits + 1 : oldAudits, audits);

        // And the application goes on: the month computes again, completely.
        using var hr = await SignedInAsync(app, "hr");
        using var compute = await hr.PostAsync(new Uri($"/api/months/{Month}/compute", UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, compute.StatusCode);
        Assert.Equal(Agents, (await ResultsAsync(database, monthId)).Count);
    }

    [Fact]
    public async Task A_bulk_facts_save_killed_in_the_middle_is_all_saved_or_not_at_all()
    {
        const int Agents = 300;
        await using var database = new ProcessDatabase();
        await database.SeedAsync(Month, Agents, compute: false);
        var monthId = await database.ScalarAsync<long>($"SELECT \"Id\" FROM \"Months\" WHERE \"Month\" = '{Month}'");
        var before = await FactsAsync(database, monthId);

        await KillInTheMiddleAsync(database, "hr", "UPDATE \"Facts\"", async client =>
        {
            var rows = (await FactsRowsAsync(client)).Select(r => Raised(r, 1)).ToList();
            Assert.Equal(Agents, rows.Count);
            return await client.PutAsJsonAsync(new Uri($"/api/months/{Month}/facts", UriKind.Relative), new { rows });
        });

        using var app = await RestartAsync(database);
        Assert.Equal("ok", await database.IntegrityAsync());
        var after = await FactsAsync(database, monthId);
        var changed = after.Zip(before).Count(p => p.First != p.Second);
        Assert.True(changed is 0 or Agents, $"{changed} of {Agents} facts rows changed: a bulk save must be all or nothing");
        var audits = await database.ScalarAsync<long>($"SELECT COUNT(*) FROM \"Audit\" WHERE \"Action\" = 'facts.save' AND \"Month\" = '{Month}'");
        Assert.Equal(changed, audits);
    }

    [Fact]
    public async Task A_policy_approval_killed_in_the_middle_is_approved_with_its_audit_entry_or_still_a_draft_without()
    {
        await using var database = new ProcessDatabase();
        await database.SeedAsync(Month, 100, compute: true);
        var effective = Month.Next.Next.ToString();

        // The draft is made over HTTP by HR, before the process that approves it is started.
        int draftId;
        int draftVersion;
        using (var app = AppProcess.Start(database.Settings()))
        {
            await app.WaitReadyAsync(Patience);
            using var hr = await SignedInAsync(app, "hr");
            var seed = await database.ScalarAsync<long>("SELECT MIN(\"Id\") FROM \"PolicyVersions\"");
            using var draft = await hr.PostAsJsonAsync(new Uri("/api/policy/versions", UriKind.Relative), new { from = seed }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
            using var json = JsonDocument.Parse(await draft.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            draftId = json.RootElement.GetProperty("id").GetInt32();
            draftVersion = json.RootElement.GetProperty("version").GetInt32();
            app.Kill();
        }

        await KillInTheMiddleAsync(database, "gm", "UPDATE \"PolicyVersions\"", client =>
            client.PostAsJsonAsync(new Uri($"/api/policy/versions/{draftId}/approval", UriKind.Relative), new { effectiveMonth = effective, version = draftVersion }));

        using var restarted = await RestartAsync(database);
        Assert.Equal("ok", await database.IntegrityAsync());
        var status = await database.RowsAsync($"SELECT \"Status\", \"EffectiveFrom\", \"ApprovedBy\" FROM \"PolicyVersions\" WHERE \"Id\" = {draftId}");
        var audits = await database.ScalarAsync<long>($"SELECT COUNT(*) FROM \"Audit\" WHERE \"Action\" = 'policy.approve' AND \"Month\" = '{effective}'");
        var approved = status.Single().EndsWith($"|{effective}|gm", StringComparison.Ordinal);
        Assert.Equal(approved ? 1 : 0, audits);
        Assert.True(approved || status.Single().EndsWith("|∅", StringComparison.Ordinal), $"policy {draftId} is neither a draft nor approved: {status.Single()}");
    }

    /// <summary>
    /// Starts the application with the hook pausing after the first command matching <paramref name="pauseAfter"/>,
    /// signs in as <paramref name="user"/> over HTTP, sends the request, waits until the hook reports that the
    /// first write is done and the request is held there, and SIGKILLs the process.
    /// </summary>
    private static async Task KillInTheMiddleAsync(ProcessDatabase database, string user, string pauseAfter, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        var settings = database.Settings();
        settings["Testing:PauseAfterSql"] = pauseAfter;
        using var app = AppProcess.Start(settings);
        await app.WaitReadyAsync(Patience);
        using var client = await SignedInAsync(app, user);
        var inFlight = Task.Run(async () =>
        {
            using var response = await request(client);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        });
        var paused = app.WaitForLineAsync(PauseAfterCommand.Marker, Patience);
        if (await Task.WhenAny(paused, inFlight) == inFlight)
        {
            Assert.Fail($"the request ended before the hook paused it: {await inFlight}\n{app.Output}");
        }

        await paused;
        app.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
    }

    private static async Task<AppProcess> RestartAsync(ProcessDatabase database)
    {
        var app = AppProcess.Start(database.Settings());
        await app.WaitReadyAsync(Patience);
        return app;
    }

    /// <summary>The month's stored results, one line each (person, pay, score, …, computed at last), by person.</summary>
    private static Task<List<string>> ResultsAsync(ProcessDatabase database, long monthId) => database.RowsAsync(
        $"SELECT \"PersonId\", \"TotalPay\", \"Score\", \"Commission\", \"Bonus\", \"Rank\", \"ComputedAt\" FROM \"Results\" WHERE \"MonthId\" = {monthId} ORDER BY \"PersonId\"");

    private static Task<List<string>> FactsAsync(ProcessDatabase database, long monthId) => database.RowsAsync(
        $"SELECT \"PersonId\", \"SalesPlan\", \"SalesActual\", \"AbsentDays\", \"Version\" FROM \"Facts\" WHERE \"MonthId\" = {monthId} ORDER BY \"PersonId\"");
}
