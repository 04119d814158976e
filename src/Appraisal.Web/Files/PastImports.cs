using Appraisal.Web.People;

namespace Appraisal.Web.Files;

/// <summary>People and teams from a file (employee number, name, team, supervisor, hiring and leaving dates).</summary>
internal static class PeopleImport
{
    public static Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, List<ImportRow> rows, ImportProblems problems, CancellationToken ct) =>
        throw new UserError("人员导入尚未开放", "the people import is not available yet", 501);
}

/// <summary>Past months' appraisals from a file, so that the month-to-month rules have their history (第十一条, 第二条).</summary>
internal static class HistoryImport
{
    public static Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, List<ImportRow> rows, ImportProblems problems, CancellationToken ct) =>
        throw new UserError("以往月份的导入尚未开放", "the import of past months is not available yet", 501);
}
