using System.Globalization;
using System.Text.RegularExpressions;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Appraisal.Web.Tests.Telemetry;

/// <summary>The web application with every log entry of every category kept, from Debug up (more than an operator would turn on).</summary>
public sealed class LogApp : AppFactory
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // A rule for this provider alone wins over appsettings' per-category levels.
            logging.AddFilter<LogCapture>(null, LogLevel.Debug);
        });
    }
}

/// <summary>
/// Issue 10 item 4: the log of a sheet submit and of a compute names the user (a scope on every entry of a
/// signed-in request) and carries no score or pay figure of the data — neither in the line, the exception, the
/// structured values nor the scopes — with every category logging from Debug up.
/// </summary>
public sealed partial class LogTests(LogApp app) : IClassFixture<LogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubmitAndComputeLogTheUserButNoScoreOrPay()
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");

        var beforeSubmit = app.Logs.Entries.Count;
        await OpenMonthSteps.SubmitSelfSheetAsync(app, month, agent01);
        var submitLogs = app.Logs.Entries.Skip(beforeSubmit).ToList();
        Assert.Contains(submitLogs, e => e.ScopeValues.Contains(new("User", "agent01")));

        await OpenMonthSteps.SubmitSupervisorSheetAsync(app, month, agent01);
        await OpenMonthSteps.EnterFactsAsync(app, month, agent01);
        var beforeCompute = app.Logs.Entries.Count;
        Assert.Contains("已计算 12 名员工的结果", await OpenMonthSteps.ComputeAsync(app, month));
        var computeLogs = app.Logs.Entries.Skip(beforeCompute).ToList();
        Assert.Contains(computeLogs, e => e.ScopeValues.Contains(new("User", "hr")));
        // Entries inside the compute's request (the database's commands) carry the user; the user of one request is never another's.
        Assert.DoesNotContain(computeLogs, e => e.ScopeValues.Contains(new("User", "agent01")));

        // Every score and pay figure the compute stored, and the sales just entered.
        var results = await app.DbAsync(db => db.Results.Where(r => db.Months.Any(m => m.Id == r.MonthId && m.Month == month)).ToListAsync(Ct));
        Assert.Equal(12, results.Count);
        var figures = results.SelectMany(r => new decimal?[] { r.Score, r.PositionSalary, r.Commission, r.Bonus, r.OtherPay, r.TotalPay, r.SalesActual })
            .Concat(results.SelectMany(r => new decimal?[] { r.SelfTotal, r.SupervisorTotal }))
            .OfType<decimal>()
            .SelectMany(Spellings)
            .Where(f => f.Length >= 4) // shorter ones (a score of 87) cannot be told from any other number in a log line
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(figures);
        var all = app.Logs.Entries.ToList();
        Assert.True(all.Count > 100, $"only {all.Count} entries captured: the capture is not seeing the log");
        foreach (var entry in all)
        {
            var text = entry.AllText;
            foreach (var figure in figures)
            {
                Assert.False(Figure(figure).IsMatch(text), $"{entry.Category} logged the figure {figure}: {text}");
            }

            Assert.DoesNotContain(entry.Values.Concat(entry.ScopeValues), v => PayWords().IsMatch(v.Key));
        }
    }

    // A decimal as a log line would show it: 3396.01, 3396.010, 85.2, 85.20, 1500, 1500.00 (not inside a name such as the parameter @p1500).
    private static IEnumerable<string> Spellings(decimal value)
    {
        yield return value.ToString(CultureInfo.InvariantCulture);
        yield return value.ToString("0.##", CultureInfo.InvariantCulture);
        yield return value.ToString("F2", CultureInfo.InvariantCulture);
    }

    private static Regex Figure(string figure) => new($"(?<![0-9A-Za-z_@.]){Regex.Escape(figure)}(?![0-9])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex("score|pay|salary|commission|bonus|total", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PayWords();
}
