using Appraisal.Core.Months;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Finds the demo company's people and months (agent01 is E001, …; the current month is open, the three before confirmed).</summary>
public static class DemoLookup
{
    public static async Task<int> PersonIdAsync(this AppFactory factory, string employeeNo)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.People.Where(p => p.EmployeeNo == employeeNo).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The month <paramref name="back"/> months before the current (open) one.</summary>
    public static string Month(this AppFactory factory, int back)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        var today = scope.ServiceProvider.GetRequiredService<CompanyClock>().Today;
        return YearMonth.FromDate(today).PlusMonths(-back).ToString();
    }

    public static async Task<AppraisalMonth> MonthRowAsync(this AppFactory factory, string month)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Months.AsNoTracking().SingleAsync(m => m.Month == month, TestContext.Current.CancellationToken);
    }

    public static async Task<T> QueryAsync<T>(this AppFactory factory, Func<AppDbContext, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = factory.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
