using Appraisal.App.Policy;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Pay;

/// <summary>
/// How each component of a payslip was set, in words (第八条–第十一条), written once for the payslip page and
/// the payslip PDF: both show the same <see cref="Payslip"/>, computed once by <see cref="ReadPayslip"/>.
/// </summary>
public static class PayslipText
{
    /// <summary>The weighted score's sum (考核表注) or why it is the supervisor's total alone.</summary>
    public static string Score(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Result;
        var w = s.Policy.Weights;
        return r.SelfTotal is { } self
            ? T($"= {w.Self} × 自评 {self} + {w.Supervisor} × 主管 {r.SupervisorTotal}（考核表注：个人占 {w.Self * 100:0.#}%，主管占 {w.Supervisor * 100:0.#}%）",
                $"= {w.Self} × self {self} + {w.Supervisor} × supervisor {r.SupervisorTotal}")
            : T("未提交自评：得分 = 主管评分", "no self-assessment: score = the supervisor's total");
    }

    public static string Rank(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return T($"第 {s.Result.Rank} 名（共 {s.EligibleCount} 人参加考核）；销售额第 {s.Result.SalesRank} 名", $"{s.Result.Rank} of {s.EligibleCount}; sales rank {s.Result.SalesRank}");
    }

    /// <summary>Why an excluded employee has no score (第二条).</summary>
    public static string Excluded(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return T($"未参加本期考核：近 {s.Policy.Eligibility.WindowMonths} 个月缺岗共 {s.Result.AbsentDaysInWindow} 天（第二条）",
            $"excluded from this month's appraisal: {s.Result.AbsentDaysInWindow} days absent over the last {s.Policy.Eligibility.WindowMonths} months (第二条)");
    }

    /// <summary>第八条: the grade and job level that set the position salary (or the last appraised month's, D7, D15).</summary>
    public static string PositionSalary(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Result;
        var level = s.Level.Level.Get(IsEnglish);
        return r.Eligible && s.Grade is { } g
            ? T($"等级「{g.Label.Zh}」：得分 {Number(r.Score)} ≥ {g.MinScore}（第八条考核结果应用表，按下限划分）→ 岗位级别「{level}」，岗位工资 {Money(s.Level.PositionSalary)}；本月工资按本月等级发放",
                $"grade {g.Label.Get(true)}: score {Number(r.Score)} ≥ {g.MinScore} (第八条, lower bound) → job level {level}, position salary {Money(s.Level.PositionSalary)}; this month's grade pays this month")
            : T($"未参加本期考核：岗位级别和岗位工资沿用最近一次考核月份的「{level}」（从未考核者为「{s.Policy.LowestGrade.Level.Zh}」）",
                $"excluded this month: the job level and position salary of the most recent appraised month, {level} ({s.Policy.LowestGrade.Level.Get(true)} if never appraised)");
    }

    /// <summary>第九条: plan, actual, the tier hit and the sum.</summary>
    public static string Commission(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Result;
        var rate = PolicyText.Percent(r.CommissionRate);
        return T($"计划销售额 X = {Money(r.SalesPlan)}，实际销售额 Y = {Money(r.SalesActual)}；", $"sales plan X = {Money(r.SalesPlan)}, actual Y = {Money(r.SalesActual)}; ")
            + PayWords.Tier(s.Policy.Commission, s.Tier)
            + T($"（第九条）：{Money(r.SalesActual)} × {rate} = {Money(r.Commission)}，四舍五入到分",
                $" (第九条): {Money(r.SalesActual)} × {rate} = {Money(r.Commission)}, rounded half away from zero to 0.01");
    }

    /// <summary>第十一条: the one-off bonus for consecutive firsts, or why there is none.</summary>
    public static string Bonus(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var b = s.Policy.Bonus;
        return s.Result.Bonus != 0
            ? T($"第十一条：连续 {b.ConsecutiveMonths} 个月排名第 {b.Rank}，一次性奖励 {Money(b.Amount)}；连续排名第一每满 {b.ConsecutiveMonths} 个月奖励一次",
                $"第十一条: ranked {b.Rank} in {b.ConsecutiveMonths} consecutive months, a one-off {Money(b.Amount)}; each full run of {b.ConsecutiveMonths} pays once")
            : s.Result.Eligible
                ? T($"无：第十一条的奖励须连续 {b.ConsecutiveMonths} 个月排名第 {b.Rank}", $"none: 第十一条 pays for rank {b.Rank} in {b.ConsecutiveMonths} consecutive months")
                : T("无：未参加本期考核者没有奖励", "none: no bonus while excluded");
    }

    /// <summary>第十条 “其他”: what the adjustments are (each one is listed by <see cref="Adjustment"/>).</summary>
    public static string Other(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Adjustments.Count == 0
            ? T("无人事调整（第十条“其他”）", "no HR adjustment (第十条 “其他”)")
            : T("人事录入的调整之和，可为负数（第十条）", "the sum of HR's adjustments, possibly negative (第十条)");
    }

    /// <summary>One adjustment: amount and reason; who entered it and when follow apart.</summary>
    public static string Adjustment(PayAdjustment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Money(a.Amount) + T("：", ": ") + a.Reason;
    }

    /// <summary>第十条: the sum.</summary>
    public static string Total(Payslip s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Result;
        return T($"岗位工资 {Money(r.PositionSalary)} + 提成 {Money(r.Commission)} + 奖励 {Money(r.Bonus)} + 其他 {Money(r.OtherPay)}（第十条）",
            $"position salary {Money(r.PositionSalary)} + commission {Money(r.Commission)} + bonus {Money(r.Bonus)} + other {Money(r.OtherPay)} (第十条)");
    }
}
