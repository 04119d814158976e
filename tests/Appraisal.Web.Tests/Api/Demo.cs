using Appraisal.Core.Months;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Api;

/// <summary>Facts about the demo company of a test database: its months and people's ids.</summary>
public sealed record Demo(YearMonth Current, IReadOnlyDictionary<string, int> PersonIds)
{
    /// <summary>The last month the demo confirmed (the current month stays open).</summary>
    public YearMonth Previous => Current.Previous;

    public YearMonth Next => Current.Next;

    public int Id(string employeeNo) => PersonIds[employeeNo];

    public static async Task<Demo> LoadAsync(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        var clock = scope.ServiceProvider.GetRequiredService<CompanyClock>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = await db.People.ToDictionaryAsync(p => p.EmployeeNo, p => p.Id);
        return new Demo(YearMonth.FromDate(clock.Today), ids);
    }

    /// <summary>The repository's root (where Appraisal.slnx is), for the shared samples.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Appraisal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Appraisal.slnx not found above " + AppContext.BaseDirectory);
    }
}
