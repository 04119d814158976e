using System.Globalization;
using System.Net;
using System.Text.Json;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// The exports read back and compared with what the pages and API show: the pay run with the payslips, the month
/// overview and a person's history with the stored results, the audit log with the log; typed cells, the frozen
/// header, the title row; and who may download what (on SQLite and PostgreSQL, as the whole suite).
/// </summary>
public sealed class ExportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static decimal Dec(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    [Fact]
    public async Task The_pay_run_xlsx_has_every_component_of_every_payslip_with_totals_title_and_signatures()
    {
        var month = app.Month(1);
        var row = await app.MonthRowAsync(month);
        using var hr = await SignIn.AsAsync(app, "hr");
        var xlsx = await hr.DownloadAsync($"/api/months/{month}/payrun/export?format=xlsx", ExportFiles.Xlsx);

        var title = ExportFiles.Title(xlsx);
        Assert.Contains(month, title, StringComparison.Ordinal);
        Assert.Contains("工资表", title, StringComparison.Ordinal);
        Assert.Contains("政策版本 " + row.PolicyVersion, title, StringComparison.Ordinal);
        Assert.Contains("总经理确认日期 ", title, StringComparison.Ordinal);

        var rows = ExportFiles.Rows(xlsx);
        var results = (await hr.SendAsync("GET", $"/api/months/{month}/results")).AssertOk().GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        var people = rows.Where(r => r["工号 Employee no"] is string no && results.Exists(x => x.GetProperty("employeeNo").GetString() == no)).ToList();
        Assert.Equal(results.Count, people.Count);

        foreach (var r in people)
        {
            var result = results.Single(x => x.GetProperty("employeeNo").GetString() == (string)r["工号 Employee no"]!);
            var slip = (await hr.SendAsync("GET", $"/api/months/{month}/payslips/{result.GetProperty("personId").GetInt32()}")).AssertOk();
            Assert.Equal(Dec(slip, "positionSalary"), ExportFiles.Number(r["岗位工资 Position salary"]));
            Assert.Equal(Dec(slip, "salesPlan"), ExportFiles.Number(r["计划销售额 Sales plan"]));
            Assert.Equal(Dec(slip, "salesActual"), ExportFiles.Number(r["实际销售额 Actual sales"]));
            Assert.Equal(Dec(slip, "commissionRate"), ExportFiles.Number(r["提成比例 Commission rate"]));
            Assert.Equal(Dec(slip, "commission"), ExportFiles.Number(r["提成 Commission"]));
            Assert.Equal(Dec(slip, "bonus"), ExportFiles.Number(r["奖励 Bonus"]));
            Assert.Equal(Dec(slip, "otherPay"), ExportFiles.Number(r["其他 Other"]));
            Assert.Equal(Dec(slip, "totalPay"), ExportFiles.Number(r["当月工资 Total pay"]));
            Assert.Equal(slip.GetProperty("level").GetString(), r["岗位级别 Job level"]);
            Assert.StartsWith("第九条：", (string)r["提成依据 Commission rule"]!, StringComparison.Ordinal);
            if (slip.GetProperty("eligible").GetBoolean())
            {
                Assert.Equal(slip.GetProperty("grade").GetString(), r["等级 Grade"]);
                Assert.Equal(Dec(slip, "score"), ExportFiles.Number(r["得分 Score"]));
                Assert.StartsWith("第八条：", (string)r["岗位工资依据 Salary rule"]!, StringComparison.Ordinal);
            }
            else
            {
                Assert.Null(r["得分 Score"]);
                Assert.Contains("沿用最近一次考核月份", (string)r["岗位工资依据 Salary rule"]!, StringComparison.Ordinal);
            }

            if (Dec(slip, "bonus") != 0)
            {
                Assert.StartsWith("第十一条", (string)r["奖励依据 Bonus rule"]!, StringComparison.Ordinal);
            }
        }

        var totals = rows.Single(r => r["工号 Employee no"] is string s && s.StartsWith("合计", StringComparison.Ordinal));
        Assert.Equal($"合计（{results.Count} 人）", totals["工号 Employee no"]);
        Assert.Equal(results.Sum(x => Dec(x, "totalPay")), ExportFiles.Number(totals["当月工资 Total pay"]));
        Assert.Equal(results.Sum(x => Dec(x, "commission")), ExportFiles.Number(totals["提成 Commission"]));
        Assert.Equal(results.Sum(x => Dec(x, "positionSalary")), ExportFiles.Number(totals["岗位工资 Position salary"]));

        var footer = ExportFiles.Cells(xlsx).Select(c => c.TryGetValue("A", out var a) ? a as string : null).OfType<string>().ToList();
        foreach (var who in new[] { "制表（签字）", "人力资源（签字）", "总经理（签字）" })
        {
            Assert.Contains(footer, line => line.StartsWith(who, StringComparison.Ordinal) && line.Contains("日期", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_xlsx_cells_are_typed_the_header_frozen_the_widths_set_and_no_formula_written()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var xlsx = await hr.DownloadAsync($"/api/months/{app.Month(1)}/payrun/export", ExportFiles.Xlsx);
        var sheet = ExportFiles.SheetXml(xlsx);
        Assert.Matches("<pane [^>]*ySplit=\"2\"[^>]*state=\"frozen\"", sheet);
        Assert.Matches("<col [^>]*width=\"44\"", sheet);
        Assert.Contains("<mergeCell ref=\"A1:S1\"", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f ", sheet, StringComparison.Ordinal);
        Assert.Contains("formatCode=\"#,##0.00\"", ExportFiles.StylesXml(xlsx), StringComparison.Ordinal);

        var first = ExportFiles.Rows(xlsx)[0];
        Assert.IsType<string>(first["工号 Employee no"]);
        Assert.IsType<double>(first["当月工资 Total pay"]);
        Assert.IsType<double>(first["提成比例 Commission rate"]);
    }

    [Fact]
    public async Task The_pay_run_csv_is_utf8_with_bom_invariant_and_one_record_per_person()
    {
        var month = app.Month(1);
        using var hr = await SignIn.AsAsync(app, "hr");
        var csv = await hr.DownloadAsync($"/api/months/{month}/payrun/export?format=csv", "text/csv");
        var (header, records) = ExportFiles.Csv(csv);
        Assert.Equal("工号 Employee no", header[0]);
        var results = (await hr.SendAsync("GET", $"/api/months/{month}/results")).AssertOk().GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(results.Count, records.Count);
        var total = Array.IndexOf(header, "当月工资 Total pay");
        var rate = Array.IndexOf(header, "提成比例 Commission rate");
        foreach (var record in records)
        {
            var result = results.Single(x => x.GetProperty("employeeNo").GetString() == record[0]);
            Assert.Equal(Dec(result, "totalPay").ToString("0.00", CultureInfo.InvariantCulture), record[total]);
            Assert.Equal(Dec(result, "commissionRate"), decimal.Parse(record[rate], NumberStyles.Number, CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("csv")]
    public async Task The_month_overview_holds_the_rows_of_the_month_page(string format)
    {
        var month = app.Month(1);
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        var results = (await sup1.SendAsync("GET", $"/api/months/{month}/results")).AssertOk().GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        var bytes = await sup1.DownloadAsync($"/api/months/{month}/results/export?format={format}", format == "csv" ? "text/csv" : ExportFiles.Xlsx);
        List<(string No, decimal Total, string? Grade)> rows;
        if (format == "csv")
        {
            var (header, records) = ExportFiles.Csv(bytes);
            int no = Array.IndexOf(header, "工号 Employee no"), total = Array.IndexOf(header, "合计 Total pay"), grade = Array.IndexOf(header, "等级 Grade");
            rows = [.. records.Select(r => (r[no], decimal.Parse(r[total], CultureInfo.InvariantCulture), (string?)(r[grade].Length == 0 ? null : r[grade])))];
        }
        else
        {
            Assert.Contains("考核结果", ExportFiles.Title(bytes), StringComparison.Ordinal);
            rows = [.. ExportFiles.Rows(bytes).Where(r => r["工号 Employee no"] is string s && !s.StartsWith("合计", StringComparison.Ordinal))
                .Select(r => ((string)r["工号 Employee no"]!, ExportFiles.Number(r["合计 Total pay"]), r["等级 Grade"] as string))];
        }

        // The supervisor's own team only, as on the page (D19).
        Assert.Equal(results.Select(r => r.GetProperty("employeeNo").GetString()).Order(StringComparer.Ordinal), rows.Select(r => r.No).Order(StringComparer.Ordinal));
        foreach (var (no, total, grade) in rows)
        {
            var result = results.Single(r => r.GetProperty("employeeNo").GetString() == no);
            Assert.Equal(Dec(result, "totalPay"), total);
            Assert.Equal(result.GetProperty("grade").ValueKind == JsonValueKind.Null ? null : result.GetProperty("grade").GetString(), grade);
        }
    }

    [Fact]
    public async Task A_persons_history_has_every_month_the_reader_may_see_and_nothing_of_open_months_for_the_agent()
    {
        var me = await app.PersonIdAsync("E001");
        using var agent = await SignIn.AsAsync(app, "agent01");
        var api = (await agent.SendAsync("GET", $"/api/people/{me}/results")).AssertOk().GetProperty("results").EnumerateArray().ToList();
        var xlsx = await agent.DownloadAsync($"/api/people/{me}/results/export?format=xlsx", ExportFiles.Xlsx);
        Assert.Contains("E001", ExportFiles.Title(xlsx), StringComparison.Ordinal);
        var rows = ExportFiles.Rows(xlsx);
        Assert.Equal(api.Select(r => r.GetProperty("month").GetString()), rows.Select(r => (string)r["月份 Month"]!));
        Assert.All(rows, r => Assert.Equal("已确认", r["状态 Status"]));
        Assert.All(rows, r => Assert.IsType<DateTime>(r["确认日期 Confirmed on"]));
        foreach (var (r, a) in rows.Zip(api))
        {
            Assert.Equal(Dec(a, "totalPay"), ExportFiles.Number(r["当月工资 Total pay"]));
            Assert.Equal(a.GetProperty("policyVersion").GetString(), r["政策版本 Policy version"]);
        }

        var csv = ExportFiles.Csv(await agent.DownloadAsync($"/api/people/{me}/results/export?format=csv", "text/csv"));
        Assert.Equal(api.Count, csv.Records.Count);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", csv.Records[0][2]);
    }

    [Fact]
    public async Task The_audit_log_of_a_month_has_every_entry_of_the_month()
    {
        var month = app.Month(1);
        using var gm = await SignIn.AsAsync(app, "gm");
        var xlsx = await gm.DownloadAsync($"/api/months/{month}/audit/export?format=xlsx", ExportFiles.Xlsx);
        var count = await app.DbAsync(db => db.Audit.CountAsync(a => a.Month == month, Ct));
        var rows = ExportFiles.Rows(xlsx);
        Assert.Equal(count, rows.Count);
        Assert.All(rows, r => Assert.IsType<DateTime>(r["时间（UTC） Time (UTC)"]));
        Assert.Contains("审计日志", ExportFiles.Title(xlsx), StringComparison.Ordinal);

        var csv = ExportFiles.Csv(await gm.DownloadAsync($"/api/months/{month}/audit/export?format=csv", "text/csv"));
        Assert.Equal(count, csv.Records.Count);
        Assert.All(csv.Records, r => Assert.EndsWith("+00:00", r[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_open_month_is_exported_to_hr_as_unconfirmed_and_refused_to_the_supervisor()
    {
        var open = app.Month(0);
        using var hr = await SignIn.AsAsync(app, "hr");
        var xlsx = await hr.DownloadAsync($"/api/months/{open}/payrun/export", ExportFiles.Xlsx);
        Assert.EndsWith("未确认", ExportFiles.Title(xlsx), StringComparison.Ordinal);

        using var sup1 = await SignIn.AsAsync(app, "sup1");
        (await sup1.SendAsync("GET", $"/api/months/{open}/results/export?format=csv")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Agents_and_supervisors_cannot_get_the_pay_run_and_a_supervisor_gets_only_team_history()
    {
        var month = app.Month(1);
        foreach (var user in new[] { "agent01", "sup1" })
        {
            using var client = await SignIn.AsAsync(app, user);
            (await client.SendAsync("GET", $"/api/months/{month}/payrun/export?format=csv")).AssertProblem(HttpStatusCode.Forbidden);
            (await client.SendAsync("GET", $"/api/months/{month}/audit/export")).AssertProblem(HttpStatusCode.Forbidden);
        }

        using var sup = await SignIn.AsAsync(app, "sup1");
        await sup.DownloadAsync($"/api/people/{await app.PersonIdAsync("E003")}/results/export", ExportFiles.Xlsx);
        (await sup.SendAsync("GET", $"/api/people/{await app.PersonIdAsync("E007")}/results/export")).AssertProblem(HttpStatusCode.Forbidden);
        using var agent = await SignIn.AsAsync(app, "agent01");
        (await agent.SendAsync("GET", $"/api/months/{month}/results/export")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Exporting_the_pay_run_is_audited_once_as_a_read_of_pay()
    {
        var month = app.Month(2);
        using var hr = await SignIn.AsAsync(app, "hr");
        Task<int> ReadsAsync() => app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "hr" && a.Month == month && a.Detail!.StartsWith("pay run export"), Ct));
        var before = await ReadsAsync();
        await hr.DownloadAsync($"/api/months/{month}/payrun/export?format=csv", "text/csv");
        Assert.Equal(before + 1, await ReadsAsync());
    }

    [Fact]
    public async Task A_wrong_format_is_refused_naming_it()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var answer = await hr.SendAsync("GET", $"/api/months/{app.Month(1)}/payrun/export?format=pdf");
        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("pdf", answer.Body.GetProperty("zh").GetString(), StringComparison.Ordinal);
    }
}
