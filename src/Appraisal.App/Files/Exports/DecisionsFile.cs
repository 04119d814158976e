using Appraisal.App.Results;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// The decision lists of a confirmed month (D21) as xlsx, on the exports' writer: the same title row (company, month,
/// policy version, confirmation date), frozen bilingual header, typed cells and text that never runs as a formula.
/// </summary>
public static class DecisionsFile
{
    private static readonly ExportColumn[] PersonColumns =
    [
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("组别 Team", CellKind.Text, 12),
        new("得分 Score", CellKind.Score, 8),
        new("排名 Rank", CellKind.WholeNumber, 6),
        new("等级 Grade", CellKind.Text, 8),
        new("岗位级别 Job level", CellKind.Text, 12),
    ];

    private static readonly ExportColumn[] PayColumns =
    [
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("组别 Team", CellKind.Text, 12),
        new("上月 Previous month", CellKind.Text, 10),
        new("上月岗位级别 Previous level", CellKind.Text, 14),
        new("上月岗位工资 Previous position salary", CellKind.Money, 16),
        new("本月岗位级别 Level", CellKind.Text, 14),
        new("本月岗位工资 Position salary", CellKind.Money, 16),
        new("变化 Change", CellKind.Money, 12),
        new("方向 Direction", CellKind.Text, 12),
    ];

    private static readonly ExportColumn[] ReviewColumns =
    [
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("组别 Team", CellKind.Text, 12),
        new("标记 Flag", CellKind.Text, 20),
        new("状态 Status", CellKind.Text, 22),
        new("复核决定 Decision", CellKind.Text, 40),
        new("已记录步骤 Steps", CellKind.WholeNumber, 10),
    ];

    public static ExportTable Table(Decisions decisions, string list, ExportTitles titles)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(titles);
        var (what, columns, rows) = list switch
        {
            "promotion" => ("职位晋升清单", People("职位晋升 Promotion"), decisions.Promotion.Select(d => Person(d, d.Grade.Promotion?.Zh)).ToList()),
            "training" => ("培训需求清单", People("所需培训程度 Training need"), decisions.Training.Select(d => Person(d, d.Grade.Training.Zh)).ToList()),
            "pay" => ("岗位工资调整清单", PayColumns, decisions.PayChanges.Select(c => new object?[]
            {
                c.EmployeeNo, c.Name, c.Team, decisions.PreviousMonth, c.Before.Level.Zh, c.SalaryBefore, c.After.Level.Zh, c.SalaryAfter,
                c.SalaryAfter - c.SalaryBefore, c.Direction switch { > 0 => "上调 up", < 0 => "下调 down", _ => "级别变更 level" },
            }).ToList()),
            "reviews" => ("人事复核清单", ReviewColumns, decisions.Reviews.Select(r => new object?[]
            {
                r.EmployeeNo, r.Name, r.Team, r.Flag, r.Decision is null ? "需人事复核 HR review required" : "已决定 decided", r.Decision, r.Steps,
            }).ToList()),
            _ => throw new UserError($"未知清单“{list}”", $"unknown list \"{list}\"", 404),
        };

        return new ExportTable
        {
            Title = titles.ForMonth(decisions.Month, what, decisions.Month.PolicyVersion),
            SheetName = $"{decisions.Month.Month} {list}",
            FileName = $"decisions-{decisions.Month.Month}-{list}",
            Columns = columns,
            Rows = rows,
        };
    }

    private static ExportColumn[] People(string extra) => [.. PersonColumns, new(extra, CellKind.Text, 14)];

    private static object?[] Person(DecisionPerson d, string? extra) =>
        [d.EmployeeNo, d.Name, d.Team, d.Score is { } s ? decimal.Round(s, 1) : null, d.Rank, d.Grade.Label.Zh, d.Grade.Level.Zh, extra];
}
