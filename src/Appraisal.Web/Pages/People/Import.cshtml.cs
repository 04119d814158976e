using Appraisal.Core.Months;
using Appraisal.App.Files;
using Appraisal.Web.Files;

namespace Appraisal.Web.Pages.People;

/// <summary>HR imports people and teams: employee number, name, team, supervisor, hiring and leaving dates (issue 8 §1).</summary>
public sealed class ImportModel(PreviewImport preview, ConfirmImport confirm, ImportPlanner planner) : ImportPageModel(preview, confirm, planner)
{
    public override IReadOnlyList<ImportKind> Kinds { get; } = [ImportKind.People];

    protected override YearMonth? TargetMonth => null;

    public override (string Href, string Zh, string En) NextStep => ("/People", "在“人员”页核对名单", "check the list on the People page");

    public override string Self(ImportKind kind) => "/People/Import?kind=people";
}
