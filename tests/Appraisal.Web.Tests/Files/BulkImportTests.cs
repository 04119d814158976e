using System.Globalization;
using System.Text.Json;
using Appraisal.App.Audit;
using Appraisal.App.Files;
using Appraisal.App.People;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// A file larger than the bulk threshold: the new facts rows and their audit entries are written without the change
/// tracker (binary COPY on PostgreSQL, multi-row INSERTs on SQLite), and every value must arrive as the file gave it —
/// amounts to the fen, the time in UTC, who saved it, the file's name in each entry. The preview lists its first
/// rows, changes first, with the counts of the whole file; the same file again changes nothing.
/// </summary>
public sealed class BulkImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Agents = 2500;

    [Fact]
    public async Task A_file_of_2500_new_rows_is_stored_value_for_value_and_its_preview_shows_the_changes_first()
    {
        var demo = await Demo.LoadAsync(app);
        var month = demo.Current.ToString();
        var hire = demo.Current.Previous.FirstDay;
        var numbers = Enumerable.Range(1, Agents).Select(i => string.Create(CultureInfo.InvariantCulture, $"B{i:D5}")).ToList();
        await app.DbAsync(async db =>
        {
            db.People.AddRange(numbers.Select((no, i) => new Person { EmployeeNo = no, Name = $"批量{i}", Role = Roles.Agent, HireDate = hire }));
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        // Distinct amounts with fen; the demo's own agents are in the file too, unchanged where they have facts already.
        var stored = await app.DbAsync(db => db.Facts.AsNoTracking().Where(f => f.Month!.Month == month)
            .Select(f => new { f.Person!.EmployeeNo, f.SalesPlan, f.SalesActual }).ToListAsync(TestContext.Current.CancellationToken));
        static decimal Plan(int i) => 50_000m + (i % 31 * 5_000m);
        static decimal Actual(int i) => Plan(i) * (0.7m + (i % 61 / 100m)) + (i % 100 / 100m);
        var rows = stored.Select(s => new Dictionary<string, object?> { ["工号"] = s.EmployeeNo, ["销售计划"] = s.SalesPlan, ["实际销售额"] = s.SalesActual })
            .Concat(numbers.Select((no, i) => new Dictionary<string, object?> { ["工号"] = no, ["销售计划"] = Plan(i), ["实际销售额"] = Actual(i) }))
            .Reverse().ToList();
        var file = ImportTests.Workbook("销售", rows);

        using var hr = await SignIn.AsAsync(app, "hr");
        var url = $"/api/imports/sales?month={month}&fileName=bulk-sales.xlsx";
        var preview = (await ImportTests.UploadAsync(hr, url, file)).AssertOk();
        Assert.Equal(Agents, preview.GetProperty("new").GetInt32());
        Assert.Equal(stored.Count, preview.GetProperty("unchanged").GetInt32());
        Assert.Equal(Agents + stored.Count, preview.GetProperty("total").GetInt32());
        var shown = preview.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(ImportPreview.ShownRows, shown.Count);
        Assert.Equal(Agents + stored.Count - ImportPreview.ShownRows, preview.GetProperty("omitted").GetInt32());
        Assert.All(shown, r => Assert.Equal((int)RowChange.New, r.GetProperty("change").GetInt32()));
        Assert.Equal(shown.Select(r => r.GetProperty("row").GetInt32()).Order(), shown.Select(r => r.GetProperty("row").GetInt32()));

        var before = DateTime.UtcNow.AddSeconds(-5);
        var outcome = (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk();
        Assert.Equal(Agents, outcome.GetProperty("changed").GetInt32());

        var facts = await app.DbAsync(db => db.Facts.AsNoTracking().Where(f => f.Month!.Month == month && EF.Functions.Like(f.Person!.EmployeeNo, "B%"))
            .Select(f => new { f.Person!.EmployeeNo, f.SalesPlan, f.SalesActual, f.AbsentDays, f.EligibilityOverride, f.OverrideReason, f.UpdatedAt, f.UpdatedBy, f.Version, f.PersonId })
            .ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(Agents, facts.Count);
        foreach (var f in facts)
        {
            var i = numbers.IndexOf(f.EmployeeNo);
            Assert.Equal(Plan(i), f.SalesPlan);
            Assert.Equal(Actual(i), f.SalesActual);
            Assert.Equal(0, f.AbsentDays);
            Assert.Null(f.EligibilityOverride);
            Assert.Null(f.OverrideReason);
            Assert.Equal("hr", f.UpdatedBy);
            Assert.Equal(DateTimeKind.Utc, f.UpdatedAt.Kind);
            Assert.InRange(f.UpdatedAt, before, DateTime.UtcNow.AddSeconds(5));
        }

        var ids = facts.Select(f => f.PersonId).ToHashSet();
        var entries = await app.DbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action == "facts.save" && a.Month == month && a.PersonId != null)
            .ToListAsync(TestContext.Current.CancellationToken));
        entries = entries.Where(a => ids.Contains(a.PersonId!.Value)).ToList();
        Assert.Equal(Agents, entries.Count);
        Assert.Equal(Agents, entries.Select(a => a.PersonId).Distinct().Count());
        var first = facts.Single(f => f.EmployeeNo == "B00002");
        var entry = entries.Single(a => a.PersonId == first.PersonId);
        Assert.Equal("hr", entry.User);
        Assert.Contains("(import bulk-sales.xlsx)", entry.Detail, StringComparison.Ordinal);
        var changes = JsonSerializer.Deserialize<List<AuditChange>>(entry.Changes!, JsonSerializerOptions.Web)!;
        Assert.Contains(changes, c => c.Field == "salesActual" && c.Old is null && c.New == AuditChange.Text(Actual(1)));

        // The same file again: every row unchanged and nothing written.
        var snapshot = await DatabaseSnapshot.TakeAsync(app);
        var again = (await ImportTests.UploadAsync(hr, url, file)).AssertOk();
        Assert.Equal(Agents + stored.Count, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, (await hr.SendAsync("POST", $"/api/imports/confirm/{again.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Empty(DatabaseSnapshot.Differences(snapshot, await DatabaseSnapshot.TakeAsync(app)));
    }
}
