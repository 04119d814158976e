using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Pay;

/// <summary>A payslip with every component explained; the employee acknowledges or appeals here (D16, D19).</summary>
public sealed class PayslipModel(ReadPayslip read, AcknowledgeResult acknowledge, FileAppeal fileAppeal) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Person { get; set; }

    public Payslip? Slip { get; private set; }

    /// <summary>The appeal reason as typed, kept when the appeal is refused.</summary>
    public string? Reason { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostAcknowledgeAsync(int monthId, CancellationToken ct) => ChangeAsync(
        async () =>
        {
            await acknowledge.ExecuteAsync(Me, monthId, Person, ct);
            return T("已确认本月结果与工资", "You have acknowledged this month's result and pay");
        },
        () => LoadAsync(ct),
        Back());

    public Task<IActionResult> OnPostAppealAsync(int monthId, string? reason, CancellationToken ct)
    {
        Reason = reason;
        return ChangeAsync(
            async () =>
            {
                await fileAppeal.ExecuteAsync(Me, monthId, Person, reason, ct);
                return T("复议已提交，人事部门处理后会在此显示结果", "Appeal filed; the decision will appear here");
            },
            () => LoadAsync(ct),
            Back());
    }

    private async Task LoadAsync(CancellationToken ct) => Slip = await read.ExecuteAsync(Me, MonthLookup.Parse(Month, StatusCodes.Status404NotFound), Person, ct);

    private string Back() => $"/Pay/Payslip?month={Uri.EscapeDataString(Month ?? string.Empty)}&person={Person}";
}
