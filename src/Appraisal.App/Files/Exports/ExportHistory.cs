using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// A person's history as a file: every month of theirs the reader may see, oldest first, with every pay component.
/// Read by <see cref="ReadResults.PersonAsync"/> (the API's query), so access is its own: the person themself, their
/// supervisor, HR and the general manager (D19), open months only for HR and the general manager (D16); the read of
/// another person's pay is audited there. Each row carries its month's policy version, state and confirmation date.
/// </summary>
public sealed class ExportHistory(ReadResults read, AppDbContext db, ExportTitles titles)
{
    private static readonly ExportColumn[] Columns =
    [
        new("月份 Month", CellKind.Text, 9),
        new("状态 Status", CellKind.Text, 8),
        new("确认日期 Confirmed on", CellKind.Date, 12),
        new("政策版本 Policy version", CellKind.Text, 12),
        new("参加考核 Appraised", CellKind.Text, 9),
        new("自评 Self", CellKind.WholeNumber, 7),
        new("主管评分 Supervisor", CellKind.WholeNumber, 9),
        new("得分 Score", CellKind.Score, 8),
        new("等级 Grade", CellKind.Text, 8),
        new("岗位级别 Job level", CellKind.Text, 12),
        new("排名 Rank", CellKind.WholeNumber, 6),
        new("销售额排名 Sales rank", CellKind.WholeNumber, 8),
        new("计划销售额 Sales plan", CellKind.Money, 14),
        new("实际销售额 Actual sales", CellKind.Money, 14),
        new("岗位工资 Position salary", CellKind.Money, 13),
        new("提成比例 Commission rate", CellKind.Rate, 10),
        new("提成 Commission", CellKind.Money, 13),
        new("奖励 Bonus", CellKind.Money, 10),
        new("其他 Other", CellKind.Money, 11),
        new("当月工资 Total pay", CellKind.Money, 14),
        new("标记 Flags", CellKind.Text, 40),
    ];

    public async Task<ExportTable> ExecuteAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        var history = await read.PersonAsync(actor, personId, ct);
        var keys = history.Results.Select(r => r.Month).ToList();
        var months = await db.Months.AsNoTracking().Where(m => keys.Contains(m.Month)).ToDictionaryAsync(m => m.Month, StringComparer.Ordinal, ct);
        var rows = InChinese.Run(() => history.Results.Select(r =>
        {
            var month = months[r.Month];
            var confirmed = month.Status == MonthStatus.Confirmed;
            return new object?[]
            {
                r.Month, confirmed ? "已确认" : "未确认", confirmed && month.ConfirmedAt is { } at ? titles.DateOf(at) : null, r.PolicyVersion,
                r.Eligible ? "是" : "否（第二条）", r.SelfTotal, r.SupervisorTotal, r.Score, r.Grade, r.Level, r.Rank, r.SalesRank, r.SalesPlan, r.SalesActual,
                r.PositionSalary, r.CommissionRate, r.Commission, r.Bonus, r.OtherPay, r.TotalPay, ExportMonthOverview.Flags(FlagsOf(r.Flags), r.Eligible),
            };
        }).ToList());

        return new ExportTable
        {
            Title = titles.ForPerson($"{history.Name}（{history.EmployeeNo}）考核与工资历史"),
            SheetName = "考核历史",
            FileName = $"history-{Ascii(history.EmployeeNo)}",
            Columns = Columns,
            Rows = rows,
        };
    }

    private static ResultFlags FlagsOf(IEnumerable<string> names) => names.Aggregate(ResultFlags.None, (all, name) => all | name switch
    {
        ResultFlagNames.ConsecutiveFail => ResultFlags.ConsecutiveFail,
        ResultFlagNames.LastInScoreAndSales => ResultFlags.LastInScoreAndSales,
        ResultFlagNames.SelfMissing => ResultFlags.SelfMissing,
        _ => ResultFlags.None,
    });

    /// <summary>The employee number as a file-name part: letters, digits, '-' and '_' only.</summary>
    internal static string Ascii(string text) => new([.. text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')]);
}
