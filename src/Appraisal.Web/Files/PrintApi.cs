using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Files.Pdf;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Appraisal.App.Files;

namespace Appraisal.Web.Files;

/// <summary>
/// The printed forms as <c>application/pdf</c>: a person's 《客服 KPI 考核表》, a team's or the whole month's (one page
/// per person), and a payslip (工资条). Who may print what is the rule of the page each comes from (the sheet,
/// team and payslip pages); 503 when the server has no Chinese font to embed.
/// </summary>
public static class PrintApi
{
    public const string PdfType = "application/pdf";

    public static IEndpointRouteBuilder MapPrintApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/months/{month}").RequireAuthorization().WithTags("Print").WithUserErrors();
        api.MapGet("/kpi-forms/{person:int}", KpiFormAsync)
            .WithName("PrintKpiForm")
            .WithSummary("One person's KPI form of a month as PDF")
            .WithDescription("One A4 page reproducing 《客服 KPI 考核表》 with the policy's items and levels, the scores of each sheet the reader may read, "
                + "the totals, the weighted overall score and grade once the reader may see the results, and the signature lines. "
                + "The person themself, their supervisor, HR and the general manager (as the sheet page).")
            .Produces(StatusCodes.Status200OK, contentType: PdfType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/kpi-forms", KpiFormsAsync)
            .WithName("PrintKpiForms")
            .WithSummary("A team's or the whole month's KPI forms as one PDF, one page per person")
            .WithDescription("Without team: every team the reader may open on the team page (a supervisor their teams, HR and the general manager all). "
                + "Agents are refused.")
            .Produces(StatusCodes.Status200OK, contentType: PdfType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/payslips/{person:int}/pdf", PayslipAsync)
            .WithName("PrintPayslip")
            .WithSummary("One person's payslip of a month as PDF")
            .WithDescription("The same payslip as GET /api/months/{month}/payslips/{person} with every component explained; the same readers, and reading another person's pay is audited as pay.read.")
            .Produces(StatusCodes.Status200OK, contentType: PdfType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<FileContentHttpResult> KpiFormAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The assessed person's id")] int person, PrintForms print, Actor actor, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await print.KpiFormAsync(actor, month, person, buffer, ct);
        return TypedResults.File(buffer.ToArray(), PdfType, $"kpi-form-{month}-{person}.pdf");
    }

    public static async Task<FileContentHttpResult> KpiFormsAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("A team's id; without it every team the reader may open")] int? team, PrintForms print, Actor actor, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await print.KpiFormsAsync(actor, month, team, buffer, ct);
        return TypedResults.File(buffer.ToArray(), PdfType, team is { } t ? $"kpi-forms-{month}-team-{t}.pdf" : $"kpi-forms-{month}.pdf");
    }

    public static async Task<FileContentHttpResult> PayslipAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The person's id")] int person, PrintForms print, Actor actor, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await print.PayslipAsync(actor, month, person, buffer, ct);
        return TypedResults.File(buffer.ToArray(), PdfType, $"payslip-{month}-{person}.pdf");
    }
}
