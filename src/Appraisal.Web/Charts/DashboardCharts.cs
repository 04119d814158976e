using Appraisal.App.Dashboards;
using Appraisal.App.Results;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Charts;

/// <summary>The dashboards' charts built from their <c>Read…</c> queries' figures: one method per chart, texts in both languages.</summary>
public static class DashboardCharts
{
    private static string Percent(decimal? v) => v is { } n ? Number(n) + "%" : "—";

    private static string Points(decimal? v) => Number(v);

    /// <summary>Money on an axis: whole yuan, the table keeps the fen.</summary>
    private static string Yuan(decimal? v) => v is { } n ? n.ToString("N0", System.Globalization.CultureInfo.CurrentCulture) : "—";

    /// <summary>The share of each grade band, one series per month (the newest highlighted by its place, last).</summary>
    public static Chart Grades(ManagerDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var categories = d.Bands.Select(b => b.Label.Get(IsEnglish)).ToList();
        var series = d.Grades.Select(m => new ChartSeries(m.Month, m.Grades.Select(g => (decimal?)g.Percent).ToList())).ToList();
        return new Chart("chart-grades", T("各等级人数占比：本月与之前各月", "Share of each grade: this month and the months before"), categories, series, Percent)
        {
            CategoryHeader = T("等级", "Grade"),
            Note = T("占参加考核人数的百分比（第八条）", "percent of those appraised (第八条)"),
        };
    }

    public static Chart TeamScores(ManagerDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Chart("chart-team-scores", T("各组平均得分", "Average score by team"), d.Teams.Select(TeamName).ToList(),
            [new ChartSeries(T("平均得分", "Average score"), d.Teams.Select(t => t.AverageScore).ToList())], Points)
        {
            CategoryHeader = T("小组", "Team"),
        };
    }

    public static Chart TeamSales(ManagerDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Chart("chart-team-sales", T("各组销售额与计划", "Sales against plan by team"), d.Teams.Select(TeamName).ToList(),
            [
                new ChartSeries(T("计划销售额", "Sales plan"), d.Teams.Select(t => (decimal?)t.SalesPlan).ToList()),
                new ChartSeries(T("实际销售额", "Actual sales"), d.Teams.Select(t => (decimal?)t.SalesActual).ToList()),
            ], Money)
        {
            TickFormat = Yuan,
            CategoryHeader = T("小组", "Team"),
        };
    }

    public static Chart Pay(IReadOnlyList<MonthTotals> pay, string id = "chart-pay")
    {
        ArgumentNullException.ThrowIfNull(pay);
        return new Chart(id, T("当月工资总额", "Total pay by month"), pay.Select(p => p.Month).ToList(),
            [new ChartSeries(T("工资总额", "Total pay"), pay.Select(p => (decimal?)p.TotalPay).ToList())], Money)
        {
            TickFormat = Yuan,
            CategoryHeader = T("月份", "Month"),
            Highlight = pay.Count - 1,
        };
    }

    /// <summary>D24: each supervisor's scores by band, the company first as the reference row.</summary>
    public static StackedBars Calibration(ManagerDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var rows = new List<(string, IReadOnlyList<decimal>, IReadOnlyList<int>)>();
        if (d.Company is { } company)
        {
            rows.Add((T("全公司", "Company"), company.Bands.Select(b => b.Percent).ToList(), company.Bands.Select(b => b.Count).ToList()));
        }

        rows.AddRange(d.Calibrations.Select(c => (CalibrationName(c), (IReadOnlyList<decimal>)c.Bands.Select(b => b.Percent).ToList(), (IReadOnlyList<int>)c.Bands.Select(b => b.Count).ToList())));
        return new StackedBars("chart-calibration", T("主管评分分布与全公司对比", "Each supervisor's scores against the company's"), d.Bands.Select(b => b.Label.Get(IsEnglish)).ToList(), rows)
        {
            RowHeader = T("小组（主管）", "Team (supervisor)"),
            Reference = d.Company is null ? -1 : 0,
            Note = T("主管评分表总分按第八条的等级分段；仅供参考，不改变任何得分", "supervisor sheet totals in the grade bands of 第八条; for information, no score is changed"),
        };
    }

    public static string CalibrationName(Calibration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return (c.Team ?? T("未分组", "No team")) + (c.Supervisor is { } s ? $"（{s}）" : "");
    }

    public static Chart TeamTrend(SupervisorDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Chart("chart-team-trend", T("本组各月平均得分", "The team's average score by month"), d.Months,
            [
                new ChartSeries(T("组员平均得分", "Members' average score"), d.TeamAverage),
                new ChartSeries(T("我的评分平均", "My assessments' average"), d.OwnAverage),
            ], Points)
        {
            CategoryHeader = T("月份", "Month"),
            Highlight = d.Months.Count - 1,
        };
    }

    public static Chart AgentScores(AgentDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Chart("chart-my-scores", T("我的各月得分", "My score by month"), d.Months.Select(m => m.Month).ToList(),
            [new ChartSeries(T("得分", "Score"), d.Months.Select(m => m.Score).ToList())], Points)
        {
            CategoryHeader = T("月份", "Month"),
        };
    }

    public static Chart AgentPay(AgentDashboard d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Chart("chart-my-pay", T("我的各月工资", "My pay by month"), d.Months.Select(m => m.Month).ToList(),
            [new ChartSeries(T("当月工资", "Total pay"), d.Months.Select(m => (decimal?)m.TotalPay).ToList())], Money)
        {
            TickFormat = Yuan,
            CategoryHeader = T("月份", "Month"),
        };
    }

    /// <summary>
    /// A person's score over the last 12 calendar months (the history page): a month without a result, or excluded
    /// (no score, D15), is a gap; the table adds each month's grade.
    /// </summary>
    public static Chart HistoryScores(ResultHistory view, IReadOnlyList<HistoryMonth> months)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(months);
        return new Chart("chart-history-scores", T("近 12 个月得分", "Score over the last 12 months"), months.Select(m => m.Month).ToList(),
            [new ChartSeries(T("得分", "Score"), months.Select(m => m.Score).ToList())], Points)
        {
            CategoryHeader = T("月份", "Month"),
            Words = (T("等级", "Grade"), months.Select(m => MonthGrade(view, m)).ToList()),
            Note = T("无结果的月份留空", "months without a result are left blank"),
        };
    }

    /// <summary>A person's total pay over the same months; a month without a result is a gap (an excluded month is paid, D15).</summary>
    public static Chart HistoryPay(IReadOnlyList<HistoryMonth> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        return new Chart("chart-history-pay", T("近 12 个月当月工资", "Total pay over the last 12 months"), months.Select(m => m.Month).ToList(),
            [new ChartSeries(T("当月工资", "Total pay"), months.Select(m => m.TotalPay).ToList())], Money)
        {
            TickFormat = Yuan,
            CategoryHeader = T("月份", "Month"),
        };
    }

    private static string MonthGrade(ResultHistory view, HistoryMonth m) => m.Row switch
    {
        null => T("无结果", "no result"),
        { Eligible: false } => T("未参加考核", "excluded"),
        var r => view.Labels.Grade(r.PolicyVersion, r.GradeKey),
    };

    private static string TeamName(TeamFigures t) => t.Team ?? T("未分组", "No team");
}
