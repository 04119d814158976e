using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// The month's pay run (工资表): one row per person with every component of the payslip — position salary with the
/// grade and the rule that set it (第八条, or 第二条 and the last appraised level when excluded), commission with its
/// rate, the sales it was computed on and the tier hit (第九条), bonus (第十一条), other with HR's adjustments
/// (第十条) and the total — then a totals row and the signature lines (制表 / 人力资源 / 总经理, each with a date).
/// <para>
/// HR and the general manager only (the company-wide lists of <see cref="ResultAccess"/>); an open month is
/// exported too, titled 未确认. The amounts are the stored results, exactly what <see cref="ReadPayslip"/> shows
/// (the tier by <see cref="PaidTier"/>, the same function); the read of everyone's pay is audited once as
/// <c>pay.read</c> (<see cref="PayAccess"/>). Built for 10 000 people: one projected query, adjustments and
/// exclusions in one query each, labels once per policy version.
/// </para>
/// </summary>
public sealed class ExportPayRun(AppDbContext db, PayAccess pay, ExportTitles titles)
{
    private static readonly ExportColumn[] Columns =
    [
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("组别 Team", CellKind.Text, 12),
        new("参加考核 Appraised", CellKind.Text, 9),
        new("得分 Score", CellKind.Score, 8),
        new("等级 Grade", CellKind.Text, 8),
        new("岗位级别 Job level", CellKind.Text, 12),
        new("岗位工资 Position salary", CellKind.Money, 13),
        new("岗位工资依据 Salary rule", CellKind.Text, 44),
        new("计划销售额 Sales plan", CellKind.Money, 14),
        new("实际销售额 Actual sales", CellKind.Money, 14),
        new("提成比例 Commission rate", CellKind.Rate, 10),
        new("提成 Commission", CellKind.Money, 13),
        new("提成依据 Commission rule", CellKind.Text, 44),
        new("奖励 Bonus", CellKind.Money, 10),
        new("奖励依据 Bonus rule", CellKind.Text, 30),
        new("其他 Other", CellKind.Money, 11),
        new("其他说明 Adjustments", CellKind.Text, 30),
        new("当月工资 Total pay", CellKind.Money, 14),
    ];

    public async Task<ExportTable> ExecuteAsync(Actor actor, YearMonth monthKey, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var month = await MonthLookup.GetAsync(db, monthKey, ct);
        var rows = await db.Results.AsNoTracking().Where(r => r.MonthId == month.Id)
            .OrderBy(r => r.Person!.EmployeeNo)
            .Select(r => new
            {
                r.PersonId,
                r.Person!.EmployeeNo,
                r.Person.Name,
                Team = r.Team != null ? r.Team.Name : null,
                r.PolicyVersion,
                r.Eligible,
                r.Score,
                r.GradeKey,
                r.LevelKey,
                r.PositionSalary,
                r.SalesPlan,
                r.SalesActual,
                r.CommissionRate,
                r.Commission,
                r.Bonus,
                r.OtherPay,
                r.TotalPay,
                r.AbsentDaysInWindow,
            })
            .ToListAsync(ct);
        var adjustments = (await db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == month.Id)
                .Select(a => new { a.Id, a.PersonId, a.Amount, a.Reason, a.At }).ToListAsync(ct))
            .OrderBy(a => a.At).ThenBy(a => a.Id)
            .GroupBy(a => a.PersonId)
            .ToDictionary(g => g.Key, g => string.Join("；", g.Select(a => $"{a.Reason}：{a.Amount.ToString("0.00", CultureInfo.InvariantCulture)}")));
        var excludedByHr = await db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id && f.EligibilityOverride == false)
            .ToDictionaryAsync(f => f.PersonId, f => f.OverrideReason, ct);
        var labels = new GradeLabels(await ResultPolicies.LoadAsync(db, rows.Select(r => r.PolicyVersion), ct));

        var table = new List<object?[]>(rows.Count);
        var tiers = new Dictionary<(string Version, CommissionTier Tier), string>();
        InChinese.Run(() =>
        {
            foreach (var r in rows)
            {
                var policy = labels.Policies[r.PolicyVersion];
                var grade = labels.Band(r.PolicyVersion, r.GradeKey);
                var level = labels.Band(r.PolicyVersion, r.LevelKey)?.Level.Zh ?? r.LevelKey;
                var tier = PaidTier.Of(policy, r.SalesPlan, r.SalesActual, r.CommissionRate);
                var salaryRule = r.Eligible && grade is not null
                    ? $"第八条：得分 {Score(r.Score)} ≥ {grade.MinScore.ToString(CultureInfo.InvariantCulture)}，等级「{grade.Label.Zh}」→ 岗位级别「{level}」"
                    : (excludedByHr.TryGetValue(r.PersonId, out var why) ? $"人事决定不参加本期考核（{why}）" : $"第二条：近 {policy.Eligibility.WindowMonths} 个月缺岗 {r.AbsentDaysInWindow} 天，未参加本期考核")
                      + $"；岗位级别和岗位工资沿用最近一次考核月份的「{level}」";
                var bonusRule = r.Bonus != 0
                    ? $"第十一条：连续 {policy.Bonus.ConsecutiveMonths} 个月排名第 {policy.Bonus.Rank}，一次性奖励"
                    : null;
                table.Add(
                [
                    r.EmployeeNo, r.Name, r.Team, r.Eligible ? "是" : "否（第二条）", r.Score is { } s ? decimal.Round(s, 1) : null,
                    grade?.Label.Zh, level, r.PositionSalary, salaryRule, r.SalesPlan, r.SalesActual, r.CommissionRate, r.Commission,
                    TierText(tiers, r.PolicyVersion, policy, tier), r.Bonus, bonusRule, r.OtherPay, adjustments.GetValueOrDefault(r.PersonId), r.TotalPay,
                ]);
            }

            return table;
        });

        await pay.RecordReadAsync(actor, rows.Select(r => r.PersonId), month.Month, null, $"pay run export, {rows.Count} people", ct);

        var confirmed = month.Status == MonthStatus.Confirmed && month.ConfirmedAt is { } at ? $"（系统记录：总经理 {month.ConfirmedBy} 于 {titles.Day(at)} 确认）" : "（本月尚未经总经理确认）";
        return new ExportTable
        {
            Title = titles.ForMonth(month, "工资表", month.PolicyVersion ?? rows.Select(r => r.PolicyVersion).FirstOrDefault()),
            SheetName = $"{month.Month} 工资表",
            FileName = $"payrun-{month.Month}",
            Columns = Columns,
            Rows = table,
            Totals =
            [
                $"合计（{rows.Count} 人）", null, null, null, null, null, null, rows.Sum(r => r.PositionSalary), null, rows.Sum(r => r.SalesPlan),
                rows.Sum(r => r.SalesActual), null, rows.Sum(r => r.Commission), null, rows.Sum(r => r.Bonus), null, rows.Sum(r => r.OtherPay), null,
                rows.Sum(r => r.TotalPay),
            ],
            Footer =
            [
                Signature("制表"),
                Signature("人力资源"),
                Signature("总经理") + confirmed,
            ],
        };
    }

    /// <summary>A signature line: who signs, a line to sign on and the date.</summary>
    public static string Signature(string who) => $"{who}（签字）：________________　　日期：______年____月____日";

    // The tier in words (第九条), once per policy version and tier: a pay run has a handful of distinct ones.
    private static string TierText(Dictionary<(string, CommissionTier), string> cache, string version, PolicyDocument policy, CommissionTier tier)
    {
        if (!cache.TryGetValue((version, tier), out var text))
        {
            text = "第九条：" + PayWords.Tier(policy.Commission, tier);
            cache[(version, tier)] = text;
        }

        return text;
    }

    private static string Score(decimal? score) => score is { } s ? decimal.Round(s, 1).ToString("0.0", CultureInfo.InvariantCulture) : "—";
}
