using Appraisal.Cli.Batch;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Cli.Tests.Batch;

/// <summary>
/// A SQLite file with the demo company, made by the web application's own start-up step over the batch host's
/// services (one per test class): what a company's database looks like when IT runs a batch job against it.
/// </summary>
public sealed class DemoDatabase : IAsyncLifetime
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"appraisal-cli-tests-{Guid.NewGuid():N}.db");

    /// <summary>The month the demo appraises (open) on the company's today (Asia/Shanghai); the months before it are confirmed.</summary>
    public static YearMonth CompanyMonth => Appraisal.App.Months.WindowRules.AppraisedMonth(Appraisal.Core.Policy.DefaultPolicy.Instance,
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));

    /// <summary>The <c>--setting</c> that points a batch verb at this database.</summary>
    public string Setting => $"ConnectionStrings:Sqlite=Data Source={Path}";

    public ValueTask InitializeAsync() => new(WithServicesAsync(s => s.GetRequiredService<DatabaseStart>().RunAsync(TestContext.Current.CancellationToken)));

    /// <summary>Runs <paramref name="work"/> in-process over this database, e.g. to read what a verb should have written.</summary>
    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path}",
            ["Demo:Enabled"] = "true",
            ["Company:TimeZone"] = "Asia/Shanghai",
        }).Build();
        await using var services = BatchHost.Compose(configuration).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private async Task WithServicesAsync(Func<IServiceProvider, Task> work) => await WithServicesAsync(async s =>
    {
        await work(s);
        return true;
    });

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", ".start-lock" })
        {
            File.Delete(Path + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
