using System.Diagnostics;
using System.Globalization;
using System.Net;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Files.Pdf;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// The printed forms read back: the KPI form's text (PdfPig) holds every item, every level with its range, the
/// scores in the rows of the levels chosen, the totals, the weighted 总评 and the grade, and the signature lines;
/// a team's PDF has one page per member; the payslip PDF every component; page 1 as PNG (pdftoppm) is kept.
/// </summary>
public sealed class PrintTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly CultureInfo Zh = new("zh-CN");

    /// <summary>Where the PNGs of page 1 are kept after the run (named in the test output).</summary>
    public static string ArtifactDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "pdf");

    [Fact]
    public async Task The_kpi_form_holds_every_item_level_score_total_grade_and_the_signature_lines()
    {
        var ct = TestContext.Current.CancellationToken;
        var month = app.Month(1);
        var person = await app.PersonIdAsync("E001");
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await hr.GetAsync($"/api/months/{month}/kpi-forms/{person}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync(ct);
        var pages = Texts(pdf);
        var text = Assert.Single(pages);

        var policy = await app.WithServiceAsync<PolicyStore, PolicyDocument>(p => p.InForceAsync(YearMonth.Parse(month)));
        var (self, supervisor, score, grade) = await app.DbAsync(async db =>
        {
            var m = await db.Months.SingleAsync(x => x.Month == month);
            var sheets = await db.Sheets.Include(s => s.Items).Where(s => s.MonthId == m.Id && s.PersonId == person).ToListAsync();
            var result = await db.Results.SingleAsync(r => r.MonthId == m.Id && r.PersonId == person);
            return (sheets.SingleOrDefault(s => s.Kind == SheetKind.Self), sheets.Single(s => s.Kind == SheetKind.Supervisor), result.Score, result.GradeKey);
        });

        Assert.Contains("客服KPI考核表", text);
        Assert.Contains("岗位名称：客服", text);
        Assert.Contains("考核月份：" + month, text);
        Assert.Contains("E001", text);
        foreach (var group in policy.Groups)
        {
            Assert.Contains(Strip(group.Name.Zh) + group.Percent + "%", text);
            foreach (var item in group.Items)
            {
                Assert.Contains(Strip(item.Name.Zh) + item.Max + "%", text);
                var s = self?.Items.Single(i => i.ItemKey == item.Key);
                var v = supervisor.Items.Single(i => i.ItemKey == item.Key);
                for (var l = 0; l < item.Levels.Length; l++)
                {
                    // The description, its range, then the scores given in the row of the level each sheet chose.
                    var row = Strip(item.Levels[l].Text.Zh) + KpiFormPdf.Range(item.Levels[l])
                        + (s?.LevelIndex == l ? s.Score.ToString(CultureInfo.InvariantCulture) : string.Empty)
                        + (v.LevelIndex == l ? v.Score.ToString(CultureInfo.InvariantCulture) : string.Empty);
                    Assert.Contains(row, text);
                }
            }
        }

        Assert.Contains("合计" + policy.Items.Sum(i => i.Max) + (self?.Items.Sum(i => i.Score).ToString(CultureInfo.InvariantCulture) ?? string.Empty)
            + supervisor.Items.Sum(i => i.Score), text);
        var band = policy.FindGrade(grade!)!;
        Assert.Contains("总评" + score!.Value.ToString("0.0", CultureInfo.InvariantCulture) + band.Label.Zh, text);
        Assert.Contains("考核人签名", text);
        Assert.Contains("考核日期：", text);
        Assert.Contains("总经理确认：", text);
        Assert.Contains("注：考评结果个人占40%，主管占60%！", text);

        var png = await PageOneAsPngAsync(pdf, "kpi-form");
        TestContext.Current.TestOutputHelper?.WriteLine($"KPI form, page 1 as PNG: {png}");
    }

    [Fact]
    public async Task A_team_pdf_has_one_page_per_member_and_the_month_pdf_one_per_agent()
    {
        var ct = TestContext.Current.CancellationToken;
        var month = app.Month(1);
        var (teamId, members) = await app.DbAsync(async db =>
        {
            var team = await db.Teams.Include(t => t.Supervisor).SingleAsync(t => t.Supervisor!.EmployeeNo == "S001");
            var names = await db.People.Where(p => p.TeamId == team.Id && p.Role == Appraisal.App.People.Roles.Agent).OrderBy(p => p.EmployeeNo).Select(p => p.Name).ToListAsync();
            return (team.Id, names);
        });

        using var sup = await SignIn.AsAsync(app, "sup1");
        using var response = await sup.GetAsync($"/api/months/{month}/kpi-forms?team={teamId}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pdf = await response.Content.ReadAsByteArrayAsync(ct);
        var pages = Texts(pdf);
        Assert.Equal(members.Count, pages.Count);
        for (var i = 0; i < members.Count; i++)
        {
            Assert.Contains("姓名：" + members[i], pages[i]);
            Assert.Contains($"第{i + 1}/{members.Count}页", pages[i]);
        }

        var png = await PageOneAsPngAsync(pdf, "kpi-forms-team");
        TestContext.Current.TestOutputHelper?.WriteLine($"team's KPI forms, page 1 as PNG: {png}");

        // The other team is not sup1's to print; the whole month as HR is every appraised agent.
        var other = await app.DbAsync(db => db.Teams.Where(t => t.Id != teamId).Select(t => t.Id).FirstAsync());
        using var refused = await sup.GetAsync($"/api/months/{month}/kpi-forms?team={other}", ct);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var all = await hr.GetAsync($"/api/months/{month}/kpi-forms", ct);
        var agents = await app.DbAsync(db => db.People.CountAsync(p => p.Role == Appraisal.App.People.Roles.Agent));
        Assert.Equal(agents, Texts(await all.Content.ReadAsByteArrayAsync(ct)).Count);
        using var agent = await SignIn.AsAsync(app, "agent01");
        using var agentTeam = await agent.GetAsync($"/api/months/{month}/kpi-forms?team={teamId}", ct);
        Assert.Equal(HttpStatusCode.Forbidden, agentTeam.StatusCode);
    }

    [Fact]
    public async Task Before_publication_a_supervisor_prints_the_scores_but_not_the_total_or_grade()
    {
        var ct = TestContext.Current.CancellationToken;
        var person = await app.PersonIdAsync("E002");
        using var sup = await SignIn.AsAsync(app, "sup1");
        using var response = await sup.GetAsync($"/api/months/{app.Month(0)}/kpi-forms/{person}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = Assert.Single(Texts(await response.Content.ReadAsByteArrayAsync(ct)));
        Assert.Contains("总评与等级在结果经总经理确认发布后显示", text);
        var policy = await app.WithServiceAsync<PolicyStore, PolicyDocument>(p => p.InForceAsync(YearMonth.Parse(app.Month(0))));
        Assert.DoesNotContain(policy.Grades, g => text.Contains("等级「" + g.Label.Zh + "」"));
    }

    [Fact]
    public async Task The_payslip_pdf_explains_every_component_and_a_read_of_another_persons_pay_is_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        var month = app.Month(1);
        var (person, result, reasons) = await app.DbAsync(async db =>
        {
            var m = await db.Months.SingleAsync(x => x.Month == month);
            var adjusted = await db.PayAdjustments.Where(a => a.MonthId == m.Id).Select(a => (int?)a.PersonId).FirstOrDefaultAsync()
                ?? (await db.People.SingleAsync(p => p.EmployeeNo == "E003")).Id;
            var r = await db.Results.SingleAsync(x => x.MonthId == m.Id && x.PersonId == adjusted);
            var why = await db.PayAdjustments.Where(a => a.MonthId == m.Id && a.PersonId == adjusted).Select(a => a.Reason).ToListAsync();
            return (adjusted, r, why);
        });
        var audits = await app.DbAsync(db => db.Audit.CountAsync(e => e.Action == "pay.read"));

        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await hr.GetAsync($"/api/months/{month}/payslips/{person}/pdf", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pdf = await response.Content.ReadAsByteArrayAsync(ct);
        var text = Assert.Single(Texts(pdf));
        foreach (var words in new[] { "工资条", "岗位工资", "第八条", "个人绩效提成", "第九条", "全额提成", "奖励", "第十一条", "其他", "当月工资", "第十条", "员工签名：" })
        {
            Assert.Contains(words, text);
        }

        foreach (var amount in new[] { result.PositionSalary, result.Commission, result.Bonus, result.OtherPay, result.TotalPay, result.SalesPlan, result.SalesActual })
        {
            Assert.Contains(amount.ToString("N2", Zh), text);
        }

        Assert.All(reasons, r => Assert.Contains(Strip(r), text));
        Assert.Equal(audits + 1, await app.DbAsync(db => db.Audit.CountAsync(e => e.Action == "pay.read")));
        var png = await PageOneAsPngAsync(pdf, "payslip");
        TestContext.Current.TestOutputHelper?.WriteLine($"payslip as PNG: {png}");
    }

    [Fact]
    public async Task Pages_offer_the_print_buttons_where_the_forms_are()
    {
        var ct = TestContext.Current.CancellationToken;
        var month = app.Month(1);
        var person = await app.PersonIdAsync("E001");
        using var hr = await SignIn.AsAsync(app, "hr");
        foreach (var (page, link) in new[]
        {
            ($"/Sheets/Edit?month={month}&person={person}&kind=Supervisor", $"/api/months/{month}/kpi-forms/{person}"),
            ($"/Months/Team?month={month}", $"/api/months/{month}/kpi-forms"),
            ($"/Results/Month?month={month}", $"/api/months/{month}/kpi-forms"),
            ($"/Pay/Payslip?month={month}&person={person}", $"/api/months/{month}/payslips/{person}/pdf"),
        })
        {
            var html = await hr.GetStringAsync(page, ct);
            Assert.Contains($"href=\"{link}\"", html);
        }
    }

    [Fact]
    public void Only_a_single_face_truetype_font_with_chinese_glyphs_will_do()
    {
        var garbage = Path.Combine(Path.GetTempPath(), $"not-a-font-{Guid.NewGuid():N}.ttf");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        try
        {
            Assert.Contains("TrueType", TrueTypeCheck.Problem(garbage)?.En);
            Assert.Null(TrueTypeCheck.Problem("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"));
            var collection = Directory.EnumerateFiles("/usr/share/fonts", "*.ttc", SearchOption.AllDirectories).First();
            Assert.Contains(".ttc", TrueTypeCheck.Problem(collection)?.Zh);
            var (found, why) = PdfFont.Find(garbage, []);
            Assert.Null(found);
            Assert.Contains(garbage, why?.Zh);
            (found, why) = PdfFont.Find(null, [Path.GetTempPath() + "no-fonts-here"]);
            Assert.Null(found);
            Assert.Contains("没有找到含中文字形", why?.Zh);
            (found, _) = PdfFont.Find(null, ["/usr/share/fonts"]);
            Assert.NotNull(found);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    internal static List<string> Texts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => Strip(p.Text)).ToList();
    }

    internal static string Strip(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Page 1 as a PNG of 80 dpi (pdftoppm), kept under the test output; its path.</summary>
    internal static async Task<string> PageOneAsPngAsync(byte[] pdf, string name)
    {
        Directory.CreateDirectory(ArtifactDirectory);
        var source = Path.Combine(ArtifactDirectory, name + ".pdf");
        await File.WriteAllBytesAsync(source, pdf);
        var prefix = Path.Combine(ArtifactDirectory, name);
        using var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, prefix]) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pdftoppm: " + error);
        var png = prefix + ".png";
        Assert.True(new FileInfo(png).Length > 10_000, "page 1 as PNG is nearly empty: " + png);
        return png;
    }
}

/// <summary>A server without a Chinese font: the start warns, the pages say so where the print buttons are, the PDFs answer 503.</summary>
public sealed class PrintWithoutFontTests(PrintWithoutFontTests.NoFontFactory app) : IClassFixture<PrintWithoutFontTests.NoFontFactory>
{
    public sealed class NoFontFactory : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            base.ConfigureWebHost(builder);
            builder.UseSetting(PdfFont.FileKey, "/nonexistent/no-such-font.ttf");
        }
    }

    [Fact]
    public async Task The_pdfs_answer_503_with_the_reason_and_the_pages_show_it_in_place_of_the_buttons()
    {
        var ct = TestContext.Current.CancellationToken;
        var month = app.Month(1);
        var person = await app.PersonIdAsync("E001");
        using var hr = await SignIn.AsAsync(app, "hr");
        foreach (var url in new[] { $"/api/months/{month}/kpi-forms/{person}", $"/api/months/{month}/kpi-forms", $"/api/months/{month}/payslips/{person}/pdf" })
        {
            using var response = await hr.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.Contains("无法生成 PDF", body);
            Assert.Contains("fonts-arphic-gbsn00lp", body);
        }

        var html = await hr.GetStringAsync($"/Sheets/Edit?month={month}&person={person}&kind=Supervisor", ct);
        Assert.Contains("无法生成 PDF：配置的字体文件 /nonexistent/no-such-font.ttf 不存在", html);
        Assert.DoesNotContain($"href=\"/api/months/{month}/kpi-forms/{person}\"", html);
    }
}
