using System.Globalization;
using Appraisal.Core.Policy;
using Appraisal.App.Months;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// 《客服 KPI 考核表》 as the seed's paper sheet, one A4 page per form: 岗位名称, 姓名, 考核月份; the groups with their
/// weights; every item with its weight and every level with its description and 参考分数, all read from the
/// policy document; the 自评 and 部门主管 columns with the scores given (in the row of the level chosen), the
/// totals, the weighted 总评 and the grade; 考核人签名, 考核日期, 总经理确认 and the note on the weights. Long
/// descriptions wrap inside their cells; when a policy's texts do not fit, the text is set smaller until they do.
/// </summary>
public static class KpiFormPdf
{
    private const double Margin = 28;
    private const double Pad = 2;

    // Column widths: group, item, description (the rest), 参考分数, 自评, 部门主管.
    private const double GroupWidth = 40;
    private const double ItemWidth = 58;
    private const double RefWidth = 42;
    private const double SelfWidth = 38;
    private const double SupervisorWidth = 44;

    private static readonly double[] Sizes = [8, 7.5, 7, 6.5, 6, 5.5, 5];

    /// <summary>Writes one page per form to <paramref name="output"/> (left open).</summary>
    public static void Write(IReadOnlyList<KpiForm> forms, string fontFamily, CompanyClock clock, Stream output)
    {
        ArgumentNullException.ThrowIfNull(forms);
        ArgumentNullException.ThrowIfNull(clock);
        var printedAt = clock.Local(clock.UtcNow);
        using var document = new PdfDocument();
        document.Info.Title = T("客服 KPI 考核表", "Customer-service KPI form");
        document.Info.Creator = "Appraisal";
        document.Info.CreationDate = printedAt.UtcDateTime;
        var canvas = new PdfCanvas(fontFamily);
        var fits = new Dictionary<PolicyDocument, (double, List<(List<string>, double)>)>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < forms.Count; i++)
        {
            canvas.NewPage(document);
            Draw(canvas, forms[i], clock, printedAt, i + 1, forms.Count, fits);
            canvas.EndPage();
        }

        document.Save(output, closeStream: false);
    }

    /// <summary>A score range as the sheet prints it: 5, 3-4.</summary>
    public static string Range(ItemLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return level.Min == level.Max
            ? level.Min.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{level.Min}-{level.Max}");
    }

    private static void Draw(PdfCanvas c, KpiForm form, CompanyClock clock, DateTimeOffset printedAt, int page, int pages,
        Dictionary<PolicyDocument, (double, List<(List<string>, double)>)> fits)
    {
        var en = IsEnglish;
        var policy = form.Policy;
        var left = Margin;
        var width = PdfCanvas.PageWidth - (2 * Margin);
        var descWidth = width - GroupWidth - ItemWidth - RefWidth - SelfWidth - SupervisorWidth;
        var x = new[] { left, left + GroupWidth, left + GroupWidth + ItemWidth, left + GroupWidth + ItemWidth + descWidth };
        var xRef = x[3];
        var xSelf = xRef + RefWidth;
        var xSup = xSelf + SelfWidth;
        var right = left + width;

        // Fixed parts: title, head, column heads, totals, 总评 lines, signatures, confirmation, note, footer.
        const double fixedHeight = 26 + 18 + 16 + 14 + 26 + 26 + 22 + 16 + 14;
        var available = PdfCanvas.PageHeight - (2 * Margin) - fixedHeight;
        // A month's forms share one policy version: its rows are wrapped once.
        if (!fits.TryGetValue(policy, out var fit))
        {
            fit = Fit(c, policy, descWidth, available, en);
            fits[policy] = fit;
        }

        var (size, rows) = fit;
        var body = c.Font(size);
        var bold = c.Font(size, bold: true);
        var head = c.Font(8, bold: true);

        var y = Margin;
        c.Cell(T("客服 KPI 考核表", "Customer-service KPI form"), c.Font(15, bold: true), left, y, width, 22, 0, center: true);
        y += 26;

        // 岗位名称：客服 | 姓名 | 考核月份
        var third = width / 3;
        var name = string.IsNullOrEmpty(form.Team) ? $"{form.Name}（{form.EmployeeNo}）" : $"{form.Name}（{form.EmployeeNo}，{form.Team}）";
        c.Box(left, y, width, 18);
        c.Line(left + third, y, left + third, y + 18);
        c.Line(left + (2 * third), y, left + (2 * third), y + 18);
        c.Cell(T("岗位名称：客服", "Position: customer service"), c.Font(9), left, y, third, 18, 4);
        c.Cell(T($"姓名：{name}", $"Name: {name}"), c.Font(9), left + third, y, third, 18, 4);
        c.Cell(T($"考核月份：{form.Month}", $"Month: {form.Month}"), c.Font(9), left + (2 * third), y, third, 18, 4);
        y += 18;

        // Column heads.
        c.Shade(left, y, width, 16);
        c.Box(left, y, width, 16);
        c.Cell(T("项目及考核的内容", "Items and what is assessed"), head, left, y, xRef - left, 16, Pad, center: true);
        HeadCell(c, T("参考分数", "Points"), head, xRef, y, RefWidth);
        HeadCell(c, T("自评", "Self"), head, xSelf, y, SelfWidth);
        HeadCell(c, T("部门主管", "Supervisor"), head, xSup, y, SupervisorWidth);
        y += 16;

        var row = 0;
        foreach (var group in policy.Groups)
        {
            var groupTop = y;
            foreach (var item in group.Items)
            {
                var itemTop = y;
                var self = form.Self?.Find(item.Key);
                var sup = form.Supervisor?.Find(item.Key);
                for (var l = 0; l < item.Levels.Length; l++)
                {
                    var level = item.Levels[l];
                    var (lines, height) = rows[row++];
                    c.Box(x[2], y, right - x[2], height, PdfCanvas.Hair);
                    c.Lines(lines, body, x[2] + Pad, y + Pad, descWidth - (2 * Pad), size * 1.25);
                    c.Cell(Range(level), body, xRef, y, RefWidth, height, Pad, center: true);
                    if (Chosen(self, item, l))
                    {
                        c.Cell(self!.Score.ToString(CultureInfo.InvariantCulture), bold, xSelf, y, SelfWidth, height, Pad, center: true);
                    }

                    if (Chosen(sup, item, l))
                    {
                        c.Cell(sup!.Score.ToString(CultureInfo.InvariantCulture), bold, xSup, y, SupervisorWidth, height, Pad, center: true);
                    }

                    y += height;
                }

                c.Box(x[1], itemTop, right - x[1], y - itemTop);
                c.Cell($"{item.Name.Get(en)}\n{item.Max}%", body, x[1], itemTop, ItemWidth, y - itemTop, Pad, center: true);
            }

            c.Box(left, groupTop, width, y - groupTop);
            c.Cell($"{group.Name.Get(en)}\n{group.Percent}%", bold, left, groupTop, GroupWidth, y - groupTop, Pad, center: true);
        }

        // The column rules across the whole table.
        foreach (var at in new[] { xRef, xSelf, xSup })
        {
            c.Line(at, Margin + 26 + 18, at, y);
        }

        // 合计: the points of each column.
        c.Box(left, y, width, 14);
        c.Cell(T("合计", "Total"), bold, left, y, xRef - left, 14, Pad, center: true);
        c.Cell(policy.Items.Sum(i => i.Max).ToString(CultureInfo.InvariantCulture), bold, xRef, y, RefWidth, 14, Pad, center: true);
        c.Cell(form.Self?.Total.ToString(CultureInfo.InvariantCulture), bold, xSelf, y, SelfWidth, 14, Pad, center: true);
        c.Cell(form.Supervisor?.Total.ToString(CultureInfo.InvariantCulture), bold, xSup, y, SupervisorWidth, 14, Pad, center: true);
        foreach (var at in new[] { xRef, xSelf, xSup })
        {
            c.Line(at, y, at, y + 14);
        }

        y += 14;

        // How 总评 is made, and the state of each sheet.
        c.Box(left, y, width, 26);
        c.Cell(ScoreText(form) + "\n" + SheetsText(form, clock), c.Font(7), left, y, width, 26, 4);
        y += 26;

        // The seed's last row: 考核人签名 | (signature) | 考核日期 | 总评 | (value).
        var dateAt = x[2] + (descWidth * 0.5);
        c.Box(left, y, width, 26);
        c.Line(x[2], y, x[2], y + 26);
        c.Line(dateAt, y, dateAt, y + 26);
        c.Line(xRef, y, xRef, y + 26);
        c.Line(xSelf, y, xSelf, y + 26);
        c.Cell(T("考核人签名", "Assessor's signature"), bold, left, y, x[2] - left, 26, Pad, center: true);
        var date = form.Supervisor?.SubmittedAt is { } at2 ? Day(clock, at2) : string.Empty;
        c.Cell(T($"考核日期：{date}", $"Date: {date}"), body, dateAt, y, xRef - dateAt, 26, 4);
        c.Cell(T("总评", "Overall"), bold, xRef, y, RefWidth, 26, Pad, center: true);
        c.Cell(Overall(form), bold, xSelf, y, right - xSelf, 26, Pad, center: true);
        y += 26 + 8;

        // 总经理确认：
        var confirmed = form.ConfirmedAt is { } ca ? T($"（系统记录：{form.ConfirmedBy} 于 {Day(clock, ca)} 确认）", $"(recorded: confirmed by {form.ConfirmedBy} on {Day(clock, ca)})") : string.Empty;
        c.Cell(T("总经理确认：", "General manager's confirmation:"), c.Font(9, bold: true), left, y, 120, 14, 0);
        c.Line(left + 110, y + 13, left + 300, y + 13);
        c.Cell(confirmed, c.Font(7), left + 305, y, width - 305, 14, 0);
        y += 22;

        var selfPct = (policy.Weights.Self * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var supPct = (policy.Weights.Supervisor * 100).ToString("0.#", CultureInfo.InvariantCulture);
        c.Cell(T($"注：考评结果个人占 {selfPct}%，主管占 {supPct}%！", $"Note: the result weighs the self-assessment {selfPct}% and the supervisor {supPct}%!"), c.Font(9, bold: true), left, y, width, 14, 0);

        var printed = printedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
        c.Cell(T($"政策版本 {policy.Version} · 打印于 {printed} · 第 {page}/{pages} 页", $"Policy version {policy.Version} · printed {printed} · page {page}/{pages}"),
            c.Font(6.5), left, PdfCanvas.PageHeight - Margin - 8, width, 10, 0);
    }

    private static void HeadCell(PdfCanvas c, string text, XFont font, double x, double y, double width) =>
        c.Cell(text, font, x, y, width, 16, Pad, center: true);

    private static bool Chosen(Sheets.SheetItem? given, PolicyItem item, int level) =>
        given is not null && (given.LevelIndex == level || ((given.LevelIndex < 0 || given.LevelIndex >= item.Levels.Length) && level == 0));

    /// <summary>The largest size at which every level's row fits, with the lines and height of each row.</summary>
    private static (double Size, List<(List<string> Lines, double Height)> Rows) Fit(PdfCanvas c, PolicyDocument policy, double descWidth, double available, bool en)
    {
        List<(List<string>, double)> rows = [];
        foreach (var size in Sizes)
        {
            rows = [];
            var font = c.Font(size);
            var lineHeight = size * 1.25;
            var total = 0.0;
            foreach (var group in policy.Groups)
            {
                var groupHeight = 0.0;
                foreach (var item in group.Items)
                {
                    var first = rows.Count;
                    var itemHeight = 0.0;
                    foreach (var level in item.Levels)
                    {
                        var lines = c.Wrap(level.Text.Get(en), font, descWidth - (2 * Pad));
                        var height = (lines.Count * lineHeight) + (2 * Pad);
                        rows.Add((lines, height));
                        itemHeight += height;
                    }

                    // The item's name and weight must fit in the rows it spans.
                    var nameHeight = (c.Wrap($"{item.Name.Get(en)}\n{item.Max}%", font, ItemWidth - (2 * Pad)).Count * lineHeight) + (2 * Pad);
                    if (nameHeight > itemHeight && rows.Count > first)
                    {
                        var (lastLines, lastHeight) = rows[^1];
                        rows[^1] = (lastLines, lastHeight + nameHeight - itemHeight);
                        itemHeight = nameHeight;
                    }

                    groupHeight += itemHeight;
                }

                var groupName = (c.Wrap($"{group.Name.Get(en)}\n{group.Percent}%", c.Font(size, bold: true), GroupWidth - (2 * Pad)).Count * lineHeight) + (2 * Pad);
                if (groupName > groupHeight && rows.Count > 0)
                {
                    var (lastLines, lastHeight) = rows[^1];
                    rows[^1] = (lastLines, lastHeight + groupName - groupHeight);
                    groupHeight = groupName;
                }

                total += groupHeight;
            }

            if (total <= available)
            {
                return (size, rows);
            }
        }

        return (Sizes[^1], rows);
    }

    private static string ScoreText(KpiForm form)
    {
        var w = form.Policy.Weights;
        var selfPct = (w.Self * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var supPct = (w.Supervisor * 100).ToString("0.#", CultureInfo.InvariantCulture);
        if (form.ResultsHidden)
        {
            return T($"总评 = 自评合计 × {selfPct}% + 主管合计 × {supPct}%（未提交自评时按主管合计）；总评与等级在结果经总经理确认发布后显示。",
                $"Overall = self total × {selfPct}% + supervisor total × {supPct}% (the supervisor's total alone without a self-assessment); shown once the results are confirmed and published.");
        }

        if (form.Result is not { } r)
        {
            return T($"总评 = 自评合计 × {selfPct}% + 主管合计 × {supPct}%（未提交自评时按主管合计）；本月结果尚未计算。",
                $"Overall = self total × {selfPct}% + supervisor total × {supPct}% (the supervisor's total alone without a self-assessment); this month's results are not computed yet.");
        }

        var p = r.Policy;
        if (!r.Eligible)
        {
            return T($"未参加本期考核：近 {p.Eligibility.WindowMonths} 个月缺岗共 {r.AbsentDaysInWindow} 天（第二条），不评总评与等级。",
                $"Excluded from this month's appraisal: {r.AbsentDaysInWindow} days absent over the last {p.Eligibility.WindowMonths} months (第二条); no overall score or grade.");
        }

        var score = r.Score?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—";
        var grade = r.Grade is { } g ? T($"，等级「{g.Label.Zh}」（第八条：{g.MinScore} 分及以上，{g.Level.Zh}）", $", grade {g.Label.Get(true)} (第八条: {g.MinScore} or more, {g.Level.Get(true)})") : string.Empty;
        var sw = p.Weights;
        return r.SelfTotal is { } s
            ? T($"总评 = 自评 {s} × {sw.Self} + 主管 {r.SupervisorTotal} × {sw.Supervisor} = {score}{grade}",
                $"Overall = self {s} × {sw.Self} + supervisor {r.SupervisorTotal} × {sw.Supervisor} = {score}{grade}")
            : T($"未提交自评：总评 = 主管合计 {r.SupervisorTotal} = {score}{grade}", $"No self-assessment: overall = the supervisor's total {r.SupervisorTotal} = {score}{grade}");
    }

    /// <summary>The company's calendar day of a stored instant.</summary>
    private static string Day(CompanyClock clock, DateTime utc) => clock.Local(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string SheetsText(KpiForm form, CompanyClock clock)
    {
        string State(KpiFormColumn? column) => column switch
        {
            null => T("空白（未提交或不可查看）", "blank (not submitted, or not for this reader)"),
            { SubmittedAt: { } at } => T($"已提交 {Day(clock, at)}", $"submitted {Day(clock, at)}") + (column.SubmittedBy is { } by ? $" · {by}" : string.Empty),
            _ => T("草稿（未提交）", "draft (not submitted)"),
        };

        return T($"自评：{State(form.Self)}；部门主管：{State(form.Supervisor)}", $"Self: {State(form.Self)}; supervisor: {State(form.Supervisor)}");
    }

    private static string Overall(KpiForm form) =>
        form.Result is { Eligible: true } r && !form.ResultsHidden
            ? $"{r.Score?.ToString("0.0", CultureInfo.InvariantCulture)}  {r.Grade?.Label.Get(IsEnglish)}"
            : form.Result is { Eligible: false } && !form.ResultsHidden ? T("未参加考核", "excluded") : string.Empty;
}
