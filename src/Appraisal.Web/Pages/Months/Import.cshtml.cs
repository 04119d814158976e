using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Files;
using Appraisal.Web.Files;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.Months;

/// <summary>HR imports a month's sales, absence or pay adjustments, or past months' appraisals (issue 8 §1).</summary>
public sealed class ImportModel(AppDbContext db, PreviewImport preview, ConfirmImport confirm, ImportPlanner planner)
    : ImportPageModel(preview, confirm, planner)
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    public AppraisalMonth? MonthRow { get; private set; }

    public override IReadOnlyList<ImportKind> Kinds { get; } = [ImportKind.Sales, ImportKind.Absence, ImportKind.Adjustments, ImportKind.History];

    public override string? RouteMonth => MonthRow?.Month;

    protected override YearMonth? TargetMonth => MonthRow is { } m ? YearMonth.Parse(m.Month) : null;

    public override (string Href, string Zh, string En) NextStep => MonthRow is { } m && Chosen != ImportKind.History
        ? ($"/Months/Facts?month={m.Month}", "在“销售与缺岗数据”页核对并计算结果", "check the facts and compute the results on the facts page")
        : ("/Months", "开启或处理当前考核月份", "open or continue the current month");

    // The month as loaded, else as the query gave it (a post's redirect is named before the month is loaded).
    public override string Self(ImportKind kind) =>
        $"/Months/Import?{((MonthRow?.Month ?? Month) is { } m ? $"month={Uri.EscapeDataString(m)}&" : string.Empty)}kind={ImportLayout.Slug(kind)}";

    protected override async Task LoadAsync(CancellationToken ct)
    {
        if (Chosen == ImportKind.History && Month is null)
        {
            MonthRow = null;
            return;
        }

        MonthRow = await MonthLookup.GetAsync(db, Month, ct);
    }
}
