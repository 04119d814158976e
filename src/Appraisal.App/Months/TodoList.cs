using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Months;

/// <summary>One thing waiting for someone, with where to do it.</summary>
public sealed record TodoItem(string Text, string Url);

/// <summary>What is waiting for the signed-in person, for their home page (D16).</summary>
public sealed class TodoList(AppDbContext db, Access access)
{
    public async Task<List<TodoItem>> ForAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var todo = new List<TodoItem>();
        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open).OrderBy(m => m.Month).ToListAsync(ct);
        var openIds = open.Select(m => m.Id).ToList();

        if (actor.IsAgent && actor.PersonId is { } me)
        {
            var submitted = await db.Sheets.Where(s => s.PersonId == me && s.Kind == SheetKind.Self && s.SubmittedAt != null && openIds.Contains(s.MonthId))
                .Select(s => s.MonthId).ToListAsync(ct);
            todo.AddRange(open.Where(m => !submitted.Contains(m.Id))
                .Select(m => new TodoItem(T($"填写 {m.Month} 的自评", $"Fill in your self-assessment for {m.Month}"), $"/Sheets/Edit?month={m.Month}&person={me}&kind=Self")));
            var unacknowledged = await db.Results.AsNoTracking()
                .Where(r => r.PersonId == me && db.Months.Any(m => m.Id == r.MonthId && m.Status == MonthStatus.Confirmed)
                    && !db.Acknowledgements.Any(a => a.MonthId == r.MonthId && a.PersonId == me))
                .Join(db.Months, r => r.MonthId, m => m.Id, (r, m) => m.Month).OrderBy(m => m).ToListAsync(ct);
            todo.AddRange(unacknowledged.Select(m => new TodoItem(T($"查看并确认 {m} 的考核结果与工资", $"Review and acknowledge your {m} result and pay"), $"/Pay/Payslip?month={m}&person={me}")));
        }

        if (actor.IsSupervisor && actor.PersonId is { } sup)
        {
            var team = (await access.VisiblePeopleAsync(actor, ct))!.Where(id => id != sup).ToList();
            foreach (var m in open)
            {
                var assessed = await db.Sheets.CountAsync(s => s.MonthId == m.Id && s.Kind == SheetKind.Supervisor && s.SubmittedAt != null && team.Contains(s.PersonId), ct);
                var talks = await db.FeedbackTalks.CountAsync(t => t.MonthId == m.Id && team.Contains(t.PersonId), ct);
                if (assessed < team.Count)
                {
                    todo.Add(new TodoItem(T($"{m.Month}：还有 {team.Count - assessed} 名组员待评分", $"{m.Month}: {team.Count - assessed} team member(s) to assess"), $"/Months/Team?month={m.Month}"));
                }

                if (talks < team.Count)
                {
                    todo.Add(new TodoItem(T($"{m.Month}：还有 {team.Count - talks} 次绩效面谈待记录", $"{m.Month}: {team.Count - talks} feedback talk(s) to record"), $"/Months/Team?month={m.Month}"));
                }
            }
        }

        if (actor.IsHr)
        {
            foreach (var m in open)
            {
                todo.Add(m.ComputedAt is null
                    ? new TodoItem(T($"{m.Month}：录入销售与缺岗数据并计算结果", $"{m.Month}: enter sales and absence, then compute the results"), $"/Months/Facts?month={m.Month}")
                    : new TodoItem(T($"{m.Month}：结果已计算，等待总经理确认", $"{m.Month}: results computed, waiting for the general manager"), $"/Results/Month?month={m.Month}"));
            }

            var reviews = await db.FlagReviews.CountAsync(f => f.Decision == null, ct);
            if (reviews > 0)
            {
                todo.Add(new TodoItem(T($"{reviews} 条标记待人事复核", $"{reviews} flag(s) waiting for HR review"), "/Results/Reviews"));
            }

            var appeals = await db.Appeals.CountAsync(a => a.Status == AppealStatus.Open, ct);
            if (appeals > 0)
            {
                todo.Add(new TodoItem(T($"{appeals} 项复议待处理", $"{appeals} appeal(s) to decide"), "/Results/Appeals"));
            }
        }

        if (actor.IsGeneralManager)
        {
            todo.AddRange(open.Where(m => m.ComputedAt is not null)
                .Select(m => new TodoItem(T($"确认 {m.Month} 的考核结果", $"Confirm the {m.Month} results"), $"/Results/Month?month={m.Month}")));
            var drafts = await db.PolicyVersions.CountAsync(p => p.Status == PolicyStatus.Draft, ct);
            if (drafts > 0)
            {
                todo.Add(new TodoItem(T($"{drafts} 个政策草案待审批", $"{drafts} policy draft(s) to approve"), "/Policy"));
            }
        }

        if (actor.IsAdmin)
        {
            todo.Add(new TodoItem(T("管理登录账户（新建、重置密码、解锁）", "Manage sign-in accounts (create, reset passwords, unlock)"), "/People/Accounts"));
        }

        return todo;
    }
}
