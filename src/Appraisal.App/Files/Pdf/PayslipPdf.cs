using System.Globalization;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using PdfSharp.Pdf;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// The payslip (工资条) on one A4 page: the appraisal it rests on, then every component of 第十条 with its amount
/// and how it was set — position salary from the grade (第八条), commission from plan, sales, tier and rate
/// (第九条), the bonus (第十一条), each adjustment with its reason, the total (第十条) — in the same words as the
/// payslip page (<see cref="PayslipText"/>) over the same <see cref="Payslip"/>, so every number is computed once.
/// </summary>
public static class PayslipPdf
{
    private const double Margin = 36;
    private const double Pad = 4;

    public static void Write(Payslip slip, string fontFamily, CompanyClock clock, Stream output)
    {
        ArgumentNullException.ThrowIfNull(slip);
        ArgumentNullException.ThrowIfNull(clock);
        using var document = new PdfDocument();
        document.Info.Title = T($"{slip.Name} {slip.Month.Month} 工资条", $"Payslip {slip.Month.Month}: {slip.Name}");
        document.Info.Creator = "Appraisal";
        var c = new PdfCanvas(fontFamily);
        c.NewPage(document);
        Draw(c, slip, clock);
        c.EndPage();
        document.Save(output, closeStream: false);
    }

    private static void Draw(PdfCanvas c, Payslip s, CompanyClock clock)
    {
        var r = s.Result;
        var en = IsEnglish;
        var left = Margin;
        var width = PdfCanvas.PageWidth - (2 * Margin);
        var body = c.Font(9);
        var bold = c.Font(9, bold: true);
        var y = Margin;

        c.Cell(T($"工资条 · {s.Month.Month}", $"Payslip · {s.Month.Month}"), c.Font(16, bold: true), left, y, width, 22, 0, center: true);
        y += 28;
        var state = s.Confirmed ? T("已确认发布", "confirmed and published") : T("未确认（草稿）", "not confirmed (draft)");
        c.Cell(T($"工号：{s.EmployeeNo}    姓名：{s.Name}    团队：{s.Team ?? "—"}    状态：{state}    政策版本：{r.PolicyVersion}",
            $"No.: {s.EmployeeNo}    Name: {s.Name}    Team: {s.Team ?? "—"}    Status: {state}    Policy version: {r.PolicyVersion}"), body, left, y, width, 14, 0);
        y += 22;

        // The appraisal the pay rests on.
        c.Cell(T("考核结果", "Appraisal"), c.Font(11, bold: true), left, y, width, 16, 0);
        y += 18;
        var appraisal = new List<(string Label, string Value)>
        {
            (T("自评", "Self-assessment"), r.SelfTotal?.ToString(CultureInfo.InvariantCulture) ?? T("未提交", "not submitted")),
            (T("主管评分", "Supervisor's assessment"), r.SupervisorTotal.ToString(CultureInfo.InvariantCulture)),
        };
        if (r.Eligible)
        {
            appraisal.Add((T("得分", "Score"), $"{Number(r.Score)} {PayslipText.Score(s)}"));
            appraisal.Add((T("等级", "Grade"), s.Grade?.Label.Get(en) ?? r.GradeKey ?? "—"));
            appraisal.Add((T("排名", "Rank"), PayslipText.Rank(s)));
        }
        else
        {
            appraisal.Add((T("得分", "Score"), PayslipText.Excluded(s)));
        }

        foreach (var (label, value) in appraisal)
        {
            y = Row(c, left, y, [(label, 110, bold), (value, width - 110, body)]);
        }

        y += 12;
        c.Cell(T("工资明细", "Pay"), c.Font(11, bold: true), left, y, width, 16, 0);
        y += 18;
        const double nameWidth = 90;
        const double amountWidth = 80;
        var whyWidth = width - nameWidth - amountWidth;
        c.Shade(left, y, width, 16);
        y = Row(c, left, y, [(T("项目", "Component"), nameWidth, bold), (T("金额（元）", "Amount (yuan)"), amountWidth, bold), (T("依据", "How it was set"), whyWidth, bold)]);
        var other = PayslipText.Other(s);
        if (s.Adjustments.Count > 0)
        {
            other = string.Join("\n", s.Adjustments.Select(a => $"{PayslipText.Adjustment(a)}（{a.By}，{clock.Local(a.At):yyyy-MM-dd}）")) + "\n" + other;
        }

        var components = new (string Name, decimal Amount, string Why)[]
        {
            (T("岗位工资", "Position salary"), r.PositionSalary, PayslipText.PositionSalary(s)),
            (T("个人绩效提成", "Commission"), r.Commission, PayslipText.Commission(s)),
            (T("奖励", "Bonus"), r.Bonus, PayslipText.Bonus(s)),
            (T("其他", "Other"), r.OtherPay, other),
        };
        foreach (var (name, amount, why) in components)
        {
            y = Row(c, left, y, [(name, nameWidth, bold), (Money(amount), amountWidth, body), (why, whyWidth, body)]);
        }

        y = Row(c, left, y, [(T("当月工资", "Total pay"), nameWidth, bold), (Money(r.TotalPay), amountWidth, c.Font(10, bold: true)), (PayslipText.Total(s), whyWidth, body)]);

        y += 30;
        c.Cell(T("员工签名：", "Employee's signature:"), bold, left, y, 90, 14, 0);
        c.Line(left + 70, y + 13, left + 230, y + 13);
        c.Cell(T("日期：", "Date:"), bold, left + 260, y, 60, 14, 0);
        c.Line(left + 295, y + 13, left + 420, y + 13);

        var printed = clock.Local(clock.UtcNow).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
        c.Cell(T($"打印于 {printed}", $"Printed {printed}"), c.Font(7), left, PdfCanvas.PageHeight - Margin - 10, width, 10, 0);
    }

    /// <summary>A row of boxed cells whose height is the tallest wrapped text; returns the next row's top.</summary>
    private static double Row(PdfCanvas c, double x, double y, (string Text, double Width, PdfSharp.Drawing.XFont Font)[] cells)
    {
        var height = cells.Max(cell => (c.Wrap(cell.Text, cell.Font, cell.Width - (2 * Pad)).Count * cell.Font.Size * 1.25) + (2 * Pad));
        foreach (var (text, w, font) in cells)
        {
            c.Box(x, y, w, height);
            c.Cell(text, font, x, y, w, height, Pad);
            x += w;
        }

        return y + height;
    }
}
