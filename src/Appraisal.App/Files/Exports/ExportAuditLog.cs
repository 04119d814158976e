using Appraisal.Core.Months;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// A month's audit log as a file (D25), newest first: every entry about the month, read page after page by
/// <see cref="ReadAuditLog"/> (the search of the audit page), so only HR and the general manager get it. Times are
/// UTC (the column says so); actions and fields in words, each change as old → new.
/// </summary>
public sealed class ExportAuditLog(ReadAuditLog read, AppDbContext db, ExportTitles titles)
{
    private static readonly ExportColumn[] Columns =
    [
        new("时间（UTC） Time (UTC)", CellKind.Instant, 20),
        new("账号 Account", CellKind.Text, 12),
        new("操作人 Acted by", CellKind.Text, 12),
        new("操作 Action", CellKind.Text, 20),
        new("工号 Employee no", CellKind.Text, 12),
        new("姓名 Name", CellKind.Text, 12),
        new("说明 Detail", CellKind.Text, 40),
        new("变更（原值 → 新值） Changes (old → new)", CellKind.Text, 60),
    ];

    public async Task<ExportTable> ExecuteAsync(Actor actor, YearMonth monthKey, CancellationToken ct = default)
    {
        ReadAuditLog.EnsureMayRead(actor);
        var month = await MonthLookup.GetAsync(db, monthKey, ct);
        var rows = new List<object?[]>();
        string? before = null;
        do
        {
            var page = await read.ExecuteAsync(actor, new AuditQuery(Month: month.Month, Before: before, Limit: ReadAuditLog.MaxLimit), ct);
            foreach (var r in page.Rows)
            {
                var changes = string.Join("；", r.Changes.Select(c => $"{AuditWords.FieldBoth(c.Field).Zh}：{InChinese.Run(() => AuditWords.Value(c.Field, c.Old))} → {InChinese.Run(() => AuditWords.Value(c.Field, c.New))}"));
                rows.Add([DateTime.SpecifyKind(r.At, DateTimeKind.Utc), r.User, r.UserPersonName, AuditWords.ActionBoth(r.Action).Zh, r.EmployeeNo, r.PersonName, r.Detail,
                    changes.Length == 0 ? null : changes]);
            }

            before = page.Next;
        }
        while (before is not null);

        return new ExportTable
        {
            Title = titles.ForMonth(month, "审计日志", month.PolicyVersion),
            SheetName = $"{month.Month} 审计日志",
            FileName = $"audit-{month.Month}",
            Columns = Columns,
            Rows = rows,
        };
    }
}
