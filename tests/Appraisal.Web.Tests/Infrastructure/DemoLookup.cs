using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The one place tests find the demo company's people and months (agent01 is E001, …; sup1 leads
/// E001–E006, sup2 E007–E012; the month being appraised is open — the one whose 第六条 window is now or next, e.g. November
/// from 1 to 6 December and December from 7 December on — and the three before it confirmed).
/// </summary>
public static class DemoLookup
{
    /// <summary>The person id of an employee number, e.g. E001 for agent01.</summary>
    public static Task<int> PersonIdAsync(this AppFactory factory, string employeeNo)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.DbAsync(db => db.People.Where(p => p.EmployeeNo == employeeNo).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The month the demo left open (the month being appraised), as YYYY-MM.</summary>
    public static Task<string> OpenMonthAsync(this AppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.DbAsync(db => db.Months.Where(m => m.Status == MonthStatus.Open).OrderBy(m => m.Month).Select(m => m.Month).FirstAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The month <paramref name="back"/> months before the open one (the month being appraised).</summary>
    public static string Month(this AppFactory factory, int back) => factory.AppraisedMonth().PlusMonths(-back).ToString();

    /// <summary>The month the demo appraises on the application's today (<see cref="WindowRules.AppraisedMonth"/>).</summary>
    public static YearMonth AppraisedMonth(this AppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return WindowRules.AppraisedMonth(Appraisal.Core.Policy.DefaultPolicy.Instance, factory.Today);
    }

    /// <summary>
    /// Moves the general manager's confirmation of <paramref name="month"/> to an hour ago, so that its appeal window (7 days,
    /// D16) is open: the demo confirms past months when they were due (the day after their window), which is
    /// usually more than 7 days back.
    /// </summary>
    public static async Task ConfirmedAnHourAgoAsync(this AppFactory factory, string month)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var now = await factory.WithServiceAsync<CompanyClock, DateTime>(c => Task.FromResult(c.UtcNow));
        await factory.DbAsync(db => db.Months.Where(m => m.Month == month)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ConfirmedAt, now.AddHours(-1)), TestContext.Current.CancellationToken));
    }

    public static Task<AppraisalMonth> MonthRowAsync(this AppFactory factory, string month)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.DbAsync(db => db.Months.AsNoTracking().SingleAsync(m => m.Month == month, TestContext.Current.CancellationToken));
    }
}

/// <summary>The demo company of a test database at a glance: its open month (the one being appraised) and everyone's person id.</summary>
public sealed record Demo(YearMonth Current, IReadOnlyDictionary<string, int> PersonIds)
{
    /// <summary>The last month the demo confirmed (the month being appraised stays open).</summary>
    public YearMonth Previous => Current.Previous;

    public YearMonth Next => Current.Next;

    public int Id(string employeeNo) => PersonIds[employeeNo];

    public static async Task<Demo> LoadAsync(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ids = await app.DbAsync(db => db.People.ToDictionaryAsync(p => p.EmployeeNo, p => p.Id));
        return new Demo(app.AppraisedMonth(), ids);
    }
}
