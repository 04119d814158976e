using Appraisal.Bench;
using static Appraisal.Web.Tests.Reliability.ProcessCalls;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// The morning of the 3rd in short (issue 10 §1): the load benchmark's client (bench/Shared/RushClient.cs) against
/// the real application started as a process, on this run's database (SQLite, or PostgreSQL in the PostgreSQL run):
/// 200 agents and 10 supervisors sign in through the form within 40 seconds, each agent saves a draft and submits their
/// self-assessment, the supervisors assess their teams, HR saves facts and computes once. Every request is answered
/// as a browser expects (sign-in "busy" answers are retried, as a person would), and every acknowledged submit is in
/// the database as submitted with the scores sent. Times are printed, not asserted (bench/Appraisal.Bench.Rush and
/// docs/benchmarks.md measure them).
/// </summary>
public sealed class RushTests
{
    private const int Agents = 200;
    private const int Supervisors = 10;

    [Fact]
    public async Task A_short_rush_answers_every_request_and_loses_no_acknowledged_submit()
    {
        await using var database = new ProcessDatabase();
        var roster = await database.InProcessAsync(services => RushCompany.SeedAsync(services, Agents, Supervisors, ProcessDatabase.Password));
        var settings = database.Settings();
        settings["ForwardedHeaders:Enabled"] = "true"; // each simulated person has an address of its own, from the loopback proxy
        using var app = AppProcess.Start(settings);
        await app.WaitReadyAsync(Patience);

        var report = await RushClient.RunAsync(new RushOptions(app.Address, TimeSpan.FromSeconds(40)) { ServerProcessId = app.Id, SignInPatience = Patience }, roster);
        TestContext.Current.SendDiagnosticMessage(report.Describe());
        var lost = await database.InProcessAsync(services => RushCompany.LostAsync(services, roster.Month, report.Acknowledged));

        Assert.True(report.ErrorCount == 0, report.Describe() + app.Output);
        Assert.Empty(lost);
        Assert.Equal(2 * Agents, report.Acknowledged.Count); // every self-assessment and every supervisor's sheet
        Assert.Equal(1, report.Step("compute (API)").Count - report.ComputeRefused); // one compute stored (a refused one stores nothing)
    }
}
