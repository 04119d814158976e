using Appraisal.Core.Months;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// Prints the KPI forms and the payslip as PDF for the API and the command line: the font first (503 with the
/// same words as the pages when there is none, before anything is read or audited), then the one query of the
/// page each print comes from — <see cref="ReadKpiForms"/> (the sheet and team pages' access) and
/// <see cref="ReadPayslip"/> (the payslip's access and its <c>pay.read</c> audit) — then the layout.
/// </summary>
public sealed class PrintForms(PdfFont font, ReadKpiForms forms, ReadPayslip payslips, CompanyClock clock)
{
    /// <summary>One person's 《客服 KPI 考核表》 of <paramref name="month"/>.</summary>
    public async Task KpiFormAsync(Actor actor, YearMonth month, int personId, Stream output, CancellationToken ct = default)
    {
        var family = font.Require();
        var form = await forms.PersonAsync(actor, month, personId, ct);
        KpiFormPdf.Write([form], family, clock, output);
    }

    /// <summary>One team's forms, or every form the reader may print for the month (<paramref name="teamId"/> null); the number of pages.</summary>
    public async Task<int> KpiFormsAsync(Actor actor, YearMonth month, int? teamId, Stream output, CancellationToken ct = default)
    {
        var family = font.Require();
        var all = await forms.TeamsAsync(actor, month, teamId, ct);
        KpiFormPdf.Write(all, family, clock, output);
        return all.Count;
    }

    /// <summary>One person's payslip (工资条) of <paramref name="month"/>.</summary>
    public async Task PayslipAsync(Actor actor, YearMonth month, int personId, Stream output, CancellationToken ct = default)
    {
        var family = font.Require();
        var slip = await payslips.ExecuteAsync(actor, month, personId, ct);
        PayslipPdf.Write(slip, family, clock, output);
    }
}
