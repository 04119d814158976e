using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// Formula injection: people and adjustment reasons named like formulas come out of every export as the text typed,
/// never as a formula (xlsx: no &lt;f&gt; element, the string cell as typed; CSV: a leading apostrophe).
/// </summary>
public sealed class ExportInjectionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly (string No, string Text)[] Hostile =
    [
        ("E001", "=HYPERLINK(\"http://evil.example/\",\"click\")"),
        ("E002", "+1"),
        ("E003", "-1"),
        ("E004", "@SUM(1)"),
        ("E005", "\t=1+1"),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task PlantAsync(string month)
    {
        await app.DbAsync(async db =>
        {
            var monthId = await db.Months.Where(m => m.Month == month).Select(m => m.Id).SingleAsync(Ct);
            foreach (var (no, text) in Hostile)
            {
                var person = await db.People.SingleAsync(p => p.EmployeeNo == no, Ct);
                person.Name = text;
                if (!await db.PayAdjustments.AnyAsync(a => a.MonthId == monthId && a.PersonId == person.Id && a.Reason == text, Ct))
                {
                    db.PayAdjustments.Add(new PayAdjustment { MonthId = monthId, PersonId = person.Id, Amount = 0m, Reason = text, By = "test", At = DateTime.UtcNow });
                }
            }

            return await db.SaveChangesAsync(Ct);
        });
    }

    [Theory]
    [InlineData("payrun")]
    [InlineData("results")]
    public async Task Xlsx_writes_formula_like_text_as_strings_never_as_formulas(string file)
    {
        var month = app.Month(1);
        await PlantAsync(month);
        using var hr = await SignIn.AsAsync(app, "hr");
        var xlsx = await hr.DownloadAsync($"/api/months/{month}/{file}/export?format=xlsx", ExportFiles.Xlsx);
        var sheet = ExportFiles.SheetXml(xlsx);
        Assert.DoesNotContain("<f>", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f ", sheet, StringComparison.Ordinal);
        var rows = ExportFiles.Rows(xlsx);
        foreach (var (no, text) in Hostile)
        {
            var row = rows.Single(r => (r["工号 Employee no"] as string) == no);
            Assert.Equal(text, row["姓名 Name"]);
            if (file == "payrun")
            {
                Assert.StartsWith(text + "：", (string)row["其他说明 Adjustments"]!, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("payrun")]
    [InlineData("results")]
    public async Task Csv_neutralises_formula_like_text_with_an_apostrophe(string file)
    {
        var month = app.Month(1);
        await PlantAsync(month);
        using var hr = await SignIn.AsAsync(app, "hr");
        var (header, records) = ExportFiles.Csv(await hr.DownloadAsync($"/api/months/{month}/{file}/export?format=csv", "text/csv"));
        int no = Array.IndexOf(header, "工号 Employee no"), name = Array.IndexOf(header, "姓名 Name"), reasons = Array.IndexOf(header, "其他说明 Adjustments");
        foreach (var (employee, text) in Hostile)
        {
            var record = records.Single(r => r[no] == employee);
            Assert.Equal("'" + text, record[name]);
            if (file == "payrun")
            {
                Assert.StartsWith("'" + text + "：", record[reasons], StringComparison.Ordinal);
            }
        }
    }
}
