using Appraisal.App.Months;
using Appraisal.App.Sheets;
using Appraisal.Core.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Months;

/// <summary>
/// D23: the demo follows the calendar of the day it is created. The month being appraised is the one whose 第六条 window
/// (3~6日) is now or next; the three before it are confirmed; nothing is dated after the moment of creation; and each month
/// runs in order: opened, facts, adjustments, self-assessments, supervisors' sheets, talks, computed, confirmed.
/// </summary>
public sealed class DemoTimelineTests
{
    private sealed class CreatedAt(DateTimeOffset now) : AppFactory
    {
        protected override TimeProvider? Clock { get; } = new FixedTimeProvider(now);
    }

    /// <summary>Creation moments in Shanghai time (UTC+8) and the month the demo must leave open.</summary>
    public static TheoryData<string, string> Dates => new()
    {
        { "2026-12-01T00:30:00+08:00", "2026-11" }, // the first minutes of the month: last month's window is days away
        { "2026-12-03T08:00:00+08:00", "2026-11" }, // the window opens today
        { "2026-12-06T23:30:00+08:00", "2026-11" }, // its last half hour
        { "2026-12-07T00:30:00+08:00", "2026-12" }, // closed: the next window to open (3~6 January) is December's
        { "2026-12-28T12:00:00+08:00", "2026-12" },
        { "2027-01-01T09:00:00+08:00", "2026-12" }, // New Year's Day: December, across the year
        { "2026-12-05T17:30:00+00:00", "2026-11" }, // 6 December 01:30 in Shanghai, still the 5th in UTC
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public async Task The_demo_appraises_the_month_of_the_window_now_or_next_with_every_time_in_the_past_and_in_order(string created, string open)
    {
        var now = DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture);
        await using var app = new CreatedAt(now);
        await app.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        var utcNow = now.UtcDateTime;

        var months = await app.DbAsync(db => db.Months.AsNoTracking().OrderBy(m => m.Month).ToListAsync(ct));
        var expected = YearMonth.Parse(open);
        Assert.Equal([expected.PlusMonths(-3).ToString(), expected.PlusMonths(-2).ToString(), expected.PlusMonths(-1).ToString(), open], months.Select(m => m.Month));
        Assert.Equal([MonthStatus.Confirmed, MonthStatus.Confirmed, MonthStatus.Confirmed, MonthStatus.Open], months.Select(m => m.Status));
        Assert.Equal(expected, app.AppraisedMonth());

        // Nothing is dated after the moment the demo was made.
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.All(months, m => Assert.True(m.OpenedAt <= utcNow && (m.ComputedAt ?? m.OpenedAt) <= utcNow && (m.ConfirmedAt ?? m.OpenedAt) <= utcNow, m.Month));
        var latest = await app.DbAsync(async db => new[]
        {
            await db.Sheets.MaxAsync(s => s.UpdatedAt, ct),
            await db.Sheets.MaxAsync(s => s.SubmittedAt ?? DateTime.MinValue, ct),
            await db.Facts.MaxAsync(f => f.UpdatedAt, ct),
            await db.PayAdjustments.MaxAsync(a => a.At, ct),
            await db.Results.MaxAsync(r => r.ComputedAt, ct),
            await db.Audit.MaxAsync(a => a.At, ct),
            await db.PolicyVersions.MaxAsync(p => p.CreatedAt, ct),
        });
        Assert.All(latest, t => Assert.True(t <= utcNow, $"{t:O} is after {utcNow:O}"));
        Assert.True(await app.DbAsync(db => db.FeedbackTalks.MaxAsync(t => t.Date, ct)) <= today);

        // Each month in order: facts before adjustments before self-assessments before supervisors' sheets before talks
        // before computing before confirming.
        foreach (var m in months)
        {
            var (facts, adjustments, self, supervisor, talks) = await app.DbAsync(async db => (
                await db.Facts.Where(f => f.MonthId == m.Id).Select(f => f.UpdatedAt).ToListAsync(ct),
                await db.PayAdjustments.Where(a => a.MonthId == m.Id).Select(a => a.At).ToListAsync(ct),
                await db.Sheets.Where(s => s.MonthId == m.Id && s.Kind == SheetKind.Self).Select(s => s.SubmittedAt!.Value).ToListAsync(ct),
                await db.Sheets.Where(s => s.MonthId == m.Id && s.Kind == SheetKind.Supervisor).Select(s => s.SubmittedAt!.Value).ToListAsync(ct),
                await db.FeedbackTalks.Where(t => t.MonthId == m.Id).Select(t => t.Date).ToListAsync(ct)));
            Assert.NotEmpty(facts);
            Assert.NotEmpty(self);
            Assert.True(m.OpenedAt < facts.Min(), m.Month);
            Assert.True(facts.Max() < self.Min(), $"{m.Month}: facts {facts.Max():O} after a self-assessment {self.Min():O}");
            Assert.True(adjustments.Count == 0 || (facts.Max() < adjustments.Min() && adjustments.Max() < self.Min()), m.Month);
            Assert.True(self.Max() < supervisor.Min(), $"{m.Month}: self-assessment {self.Max():O} after a supervisor's sheet {supervisor.Min():O}");
            Assert.True(talks.Min() >= YearMonth.Parse(m.Month).FirstDay, m.Month);
            Assert.True(talks.Min() >= DateOnly.FromDateTime(supervisor.Min().AddHours(8)), m.Month);
            if (m.Status == MonthStatus.Confirmed)
            {
                Assert.True(supervisor.Max() < m.ComputedAt && m.ComputedAt < m.ConfirmedAt, m.Month);
                Assert.True(DateOnly.FromDateTime(m.ComputedAt!.Value.AddHours(8)) >= talks.Max(), m.Month);
            }
        }
    }
}
