using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// The month overview as a file: every result the reader sees on the month page, in the page's default order
/// (rank), with its totals. Read by <see cref="ReadMonthOverview"/> itself, so access (HR and the general manager
/// everyone, a supervisor their team once the month is confirmed, agents refused), the labels, the sums and the
/// <c>pay.read</c> audit are the page's. An open month is refused to whoever the page shows nothing of it.
/// </summary>
public sealed class ExportMonthOverview(ReadMonthOverview read, ExportTitles titles)
{
    private static readonly ExportColumn[] Columns =
    [
        new("排名 Rank", CellKind.WholeNumber, 6),
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("组别 Team", CellKind.Text, 12),
        new("自评 Self", CellKind.WholeNumber, 7),
        new("主管评分 Supervisor", CellKind.WholeNumber, 9),
        new("得分 Score", CellKind.Score, 8),
        new("等级 Grade", CellKind.Text, 8),
        new("岗位级别 Job level", CellKind.Text, 12),
        new("岗位工资 Position salary", CellKind.Money, 13),
        new("提成 Commission", CellKind.Money, 13),
        new("奖励 Bonus", CellKind.Money, 10),
        new("其他 Other", CellKind.Money, 11),
        new("合计 Total pay", CellKind.Money, 14),
        new("标记 Flags", CellKind.Text, 40),
    ];

    public async Task<ExportTable> ExecuteAsync(Actor actor, YearMonth month, CancellationToken ct = default)
    {
        var view = await read.ExecuteAsync(actor, month.ToString(), "rank", ct);
        if (view.Unpublished)
        {
            throw ResultAccess.NotPublished(view.Month);
        }

        var rows = InChinese.Run(() => view.Rows.Select(r => new object?[]
        {
            r.Rank, r.EmployeeNo, r.Name, r.Team, r.SelfTotal, r.SupervisorTotal, r.Score is { } s ? decimal.Round(s, 1) : null,
            view.Labels.Band(r.PolicyVersion, r.GradeKey)?.Label.Zh, view.Labels.Band(r.PolicyVersion, r.LevelKey)?.Level.Zh ?? r.LevelKey,
            r.PositionSalary, r.Commission, r.Bonus, r.OtherPay, r.TotalPay, Flags(r.Flags, r.Eligible),
        }).ToList());

        return new ExportTable
        {
            Title = titles.ForMonth(view.Month, "考核结果", view.Month.PolicyVersion ?? view.Rows.Select(r => r.PolicyVersion).FirstOrDefault()),
            SheetName = $"{view.Month.Month} 考核结果",
            FileName = $"results-{view.Month.Month}",
            Columns = Columns,
            Rows = rows,
            Totals =
            [
                null, $"合计（{view.Rows.Count} 人）", null, null, null, null, null, null, null,
                view.TotalPositionSalary, view.TotalCommission, view.TotalBonus, view.TotalOther, view.TotalPay, null,
            ],
        };
    }

    /// <summary>The flags in words (the page's badges): the review rules (第十一条, 第十二条), no self-assessment, excluded (第二条).</summary>
    public static string? Flags(ResultFlags flags, bool eligible)
    {
        var words = StoredFlags.ReviewNames(flags).Select(StoredFlags.RuleText).ToList();
        if ((flags & ResultFlags.SelfMissing) != 0)
        {
            words.Add("无自评");
        }

        if (!eligible)
        {
            words.Add("未参加考核（第二条）");
        }

        return words.Count == 0 ? null : string.Join("；", words);
    }
}
