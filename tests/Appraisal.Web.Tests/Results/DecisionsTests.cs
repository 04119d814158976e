using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using MiniExcelLibs;

namespace Appraisal.Web.Tests.Results;

/// <summary>/Results/Decisions (D21): the lists of a confirmed month and their Excel downloads.</summary>
public sealed class DecisionsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("promotion")]
    [InlineData("training")]
    [InlineData("pay")]
    [InlineData("reviews")]
    public async Task Each_list_downloads_as_an_xlsx_that_MiniExcel_reads_back(string list)
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var month = app.Month(1);
        using var response = await hr.GetAsync($"/Results/Decisions?handler=Excel&month={month}&list={list}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var stream = new MemoryStream(bytes);
        // Row 1 is the title (company, month, policy version, confirmation), row 2 the bilingual headers, also when the list is empty.
        var top = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().Take(2).ToList();
        Assert.Contains(month, (string)top[0]["A"]!, StringComparison.Ordinal);
        Assert.Contains("总经理确认日期", (string)top[0]["A"]!, StringComparison.Ordinal);
        Assert.Contains("工号 Employee no", top[1].Values);
        stream.Position = 0;
        var rows = MiniExcel.Query(stream, useHeaderRow: true, startCell: "A2", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();

        // The page lists the same people as the file.
        var html = await (await hr.GetAsync($"/Results/Decisions?month={month}", TestContext.Current.CancellationToken)).TextAsync();
        foreach (var row in rows)
        {
            Assert.Contains((string)row["工号 Employee no"]!, html, StringComparison.Ordinal);
        }

        if (list == "promotion")
        {
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.True(r["得分 Score"] is double or decimal, "scores are numbers, not text"));
        }
    }

    [Fact]
    public async Task Decision_lists_are_only_for_confirmed_months()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await hr.GetAsync($"/Results/Decisions?month={app.Month(0)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Supervisors_and_agents_are_refused()
    {
        foreach (var user in new[] { "sup1", "agent01" })
        {
            using var client = await SignIn.AsAsync(app, user);
            using var response = await client.GetAsync($"/Results/Decisions?month={app.Month(1)}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }
}
