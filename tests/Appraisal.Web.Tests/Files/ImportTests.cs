using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// The imports end to end through the API on the demo company: template → filled file → preview → confirm; every
/// problem of a bad file listed and nothing changed; the same file again changes nothing; a changed value replaces the
/// old one and is audited with the file's name; a preview gone stale is refused (SQLite and PostgreSQL).
/// </summary>
public sealed class ImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    internal static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(HttpClient client, string url, byte[] bytes, string type = "application/octet-stream")
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        using var response = await client.PostAsync(url, content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static byte[] Workbook(string sheet, IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { [sheet] = rows.ToList() }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    [Fact]
    public async Task A_clean_sales_file_is_previewed_confirmed_and_the_same_file_again_changes_nothing()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var template = await hr.GetAsync($"/api/imports/sales/template?month={demo.Current}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var templateRows = MiniExcel.Query(new MemoryStream(await template.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)), useHeaderRow: true, sheetName: "销售").ToList();
        Assert.Single(templateRows);

        var file = Workbook("销售", new[]
        {
            new Dictionary<string, object?> { ["工号"] = "E001", ["姓名"] = "张伟", ["销售计划"] = 80000m, ["实际销售额"] = 92500.5m },
            new Dictionary<string, object?> { ["工号"] = "E002", ["姓名"] = null, ["销售计划"] = "７０，０００", ["实际销售额"] = "¥71,000" },
        });
        var url = $"/api/imports/sales?month={demo.Current}&fileName=sales.xlsx";
        var preview = (await UploadAsync(hr, url, file)).AssertOk();
        Assert.Equal(1, preview.GetProperty("new").GetInt32());
        Assert.Equal(1, preview.GetProperty("changed").GetInt32());
        var versionBefore = (await app.MonthRowAsync(demo.Current.ToString())).DataVersion;

        var outcome = (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk();
        Assert.Equal(2, outcome.GetProperty("changed").GetInt32());
        var e002 = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == demo.Id("E002") && f.Month!.Month == demo.Current.ToString()));
        Assert.Equal(70000m, e002.SalesPlan);
        Assert.Equal(71000m, e002.SalesActual);
        var audited = await app.DbAsync(db => db.Audit.Where(a => a.Action == "facts.save" && a.PersonId == demo.Id("E002")).OrderBy(a => a.Id).LastAsync());
        Assert.Contains("import sales.xlsx", audited.Detail, StringComparison.Ordinal);
        Assert.Contains("70000", audited.Changes, StringComparison.Ordinal);
        Assert.True((await app.MonthRowAsync(demo.Current.ToString())).DataVersion > versionBefore);

        // The same file again: everything unchanged; confirming writes nothing at all.
        var before = await DatabaseSnapshot.TakeAsync(app);
        var again = (await UploadAsync(hr, url, file)).AssertOk();
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, (await hr.SendAsync("POST", $"/api/imports/confirm/{again.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));

        // The same rows as a GB18030 CSV and as pasted text: unchanged too.
        var csv = TableReaderGb("工号,姓名,销售计划,实际销售额\r\nE001,张伟,80000,92500.50\r\nE002,王芳,70000,71000\r\n");
        var fromCsv = (await UploadAsync(hr, $"/api/imports/sales?month={demo.Current}&fileName=sales.csv", csv, "text/csv")).AssertOk();
        Assert.Equal(2, fromCsv.GetProperty("unchanged").GetInt32());
        var pasted = (await hr.SendAsync("POST", $"/api/imports/sales/paste?month={demo.Current}", new { text = "工号\t销售计划\t实际销售额\nE001\t80000\t92600" })).AssertOk();
        Assert.Equal(1, pasted.GetProperty("changed").GetInt32());
        Assert.Contains("92500.5 → 92600", pasted.GetProperty("rows")[0].GetProperty("changes")[0] is var c ? $"{c.GetProperty("old").GetString()} → {c.GetProperty("new").GetString()}" : string.Empty, StringComparison.Ordinal);
    }

    private static byte[] TableReaderGb(string text) => Appraisal.App.Files.TableReader.Gb18030.GetBytes(text);

    [Fact]
    public async Task A_file_with_errors_in_several_rows_and_cells_lists_every_one_and_changes_nothing()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var file = Workbook("销售", new[]
        {
            new Dictionary<string, object?> { ["工号"] = "E001", ["姓名"] = "张伟", ["销售计划"] = "abc", ["实际销售额"] = -5m },
            new Dictionary<string, object?> { ["工号"] = "X999", ["姓名"] = "无名", ["销售计划"] = 1m, ["实际销售额"] = 2m },
            new Dictionary<string, object?> { ["工号"] = "E002", ["姓名"] = "张伟", ["销售计划"] = 1.005m, ["实际销售额"] = null },
            new Dictionary<string, object?> { ["工号"] = "E003", ["姓名"] = null, ["销售计划"] = 1m, ["实际销售额"] = 2m },
            new Dictionary<string, object?> { ["工号"] = "E003", ["姓名"] = null, ["销售计划"] = 1m, ["实际销售额"] = 2m },
        });
        var before = await DatabaseSnapshot.TakeAsync(app);
        var answer = await UploadAsync(hr, $"/api/imports/sales?month={demo.Current}&fileName=bad.xlsx", file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var places = answer.Body.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("column").GetString()}{p.GetProperty("row").GetInt32()}").ToList();
        Assert.Equal(["C2", "D2", "A3", "B4", "C4", "D4", "A6"], places);
        var first = answer.Body.GetProperty("problems")[0];
        Assert.Equal("销售", first.GetProperty("sheet").GetString());
        Assert.Equal("销售计划", first.GetProperty("header").GetString());
        Assert.Equal("abc", first.GetProperty("value").GetString());
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    [Fact]
    public async Task Absence_and_adjustments_import_and_reimport_without_change()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var absence = (await hr.SendAsync("POST", $"/api/imports/absence/paste?month={demo.Current}", new { text = "工号\t缺岗天数\nE002\t3\nE003\t０" })).AssertOk();
        (await hr.SendAsync("POST", $"/api/imports/confirm/{absence.GetProperty("token").GetString()}")).AssertOk();
        Assert.Equal(3, await app.DbAsync(db => db.Facts.Where(f => f.PersonId == demo.Id("E002") && f.Month!.Month == demo.Current.ToString()).Select(f => f.AbsentDays).SingleAsync()));

        // An absence beyond the month's days is the facts page's own refusal, at its cell.
        var bad = await hr.SendAsync("POST", $"/api/imports/absence/paste?month={demo.Current}", new { text = "工号\t缺岗天数\nE002\t40" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal("B2", bad.Body.GetProperty("problems")[0] is var p ? p.GetProperty("column").GetString() + p.GetProperty("row").GetInt32() : null);

        const string adjustments = "工号\t金额\t原因\nE002\t200\t夜班补贴\nE002\t-50\t迟到扣款\nE003\t100\t夜班补贴";
        var first = (await hr.SendAsync("POST", $"/api/imports/adjustments/paste?month={demo.Current}", new { text = adjustments })).AssertOk();
        Assert.Equal(3, first.GetProperty("new").GetInt32());
        (await hr.SendAsync("POST", $"/api/imports/confirm/{first.GetProperty("token").GetString()}")).AssertOk();
        var again = (await hr.SendAsync("POST", $"/api/imports/adjustments/paste?month={demo.Current}", new { text = adjustments })).AssertOk();
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());

        // A changed amount for the same reason adds the difference: the reason's total is the file's.
        var changed = (await hr.SendAsync("POST", $"/api/imports/adjustments/paste?month={demo.Current}", new { text = "工号\t金额\t原因\nE002\t250\t夜班补贴" })).AssertOk();
        Assert.Equal(1, changed.GetProperty("changed").GetInt32());
        (await hr.SendAsync("POST", $"/api/imports/confirm/{changed.GetProperty("token").GetString()}")).AssertOk();
        var total = await app.DbAsync(db => db.PayAdjustments.Where(a => a.PersonId == demo.Id("E002") && a.Reason == "夜班补贴").SumAsync(a => a.Amount));
        Assert.Equal(250m, total);
    }

    [Fact]
    public async Task A_preview_gone_stale_is_refused_with_409_and_a_confirmed_month_is_refused()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var preview = (await hr.SendAsync("POST", $"/api/imports/sales/paste?month={demo.Current}", new { text = "工号\t销售计划\t实际销售额\nE004\t11111\t22222" })).AssertOk();

        // Someone changes E004's facts on the facts page meanwhile.
        var other = (await hr.SendAsync("POST", $"/api/imports/sales/paste?month={demo.Current}", new { text = "工号\t销售计划\t实际销售额\nE004\t33333\t44444" })).AssertOk();
        (await hr.SendAsync("POST", $"/api/imports/confirm/{other.GetProperty("token").GetString()}")).AssertOk();

        var before = await DatabaseSnapshot.TakeAsync(app);
        (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertProblem(HttpStatusCode.Conflict);
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));

        (await hr.SendAsync("POST", $"/api/imports/sales/paste?month={demo.Previous}", new { text = "工号\t销售计划\t实际销售额\nE004\t1\t2" })).AssertProblem(HttpStatusCode.Conflict);
        using var gm = await SignIn.AsAsync(app, "gm");
        (await gm.SendAsync("POST", $"/api/imports/sales/paste?month={demo.Current}", new { text = "工号\t销售计划\t实际销售额\nE004\t1\t2" })).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Files_that_are_not_what_they_say_are_refused_through_the_API()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        (await UploadAsync(hr, $"/api/imports/sales?month={demo.Current}&fileName=sales.xlsx", "%PDF-1.4\n"u8.ToArray())).AssertProblem(HttpStatusCode.BadRequest);
        (await UploadAsync(hr, $"/api/imports/sales?month={demo.Current}&fileName=sales.xlsx", RawXlsx.Bomb(450))).AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        (await UploadAsync(hr, $"/api/imports/nonsense?month={demo.Current}&fileName=a.csv", "a"u8.ToArray(), "text/csv")).AssertProblem(HttpStatusCode.NotFound);

        // The upload route takes raw bytes; the confirmation and other routes still take JSON only.
        using var content = new StringContent("x", Encoding.UTF8, "text/plain");
        using var response = await hr.PostAsync("/api/imports/confirm/abc", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
