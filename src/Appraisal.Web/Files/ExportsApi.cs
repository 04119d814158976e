using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Files.Exports;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Appraisal.App.Files;

namespace Appraisal.Web.Files;

/// <summary>
/// The downloads (xlsx for people, CSV for payroll systems): the month overview, the pay run (工资表), a person's
/// history and a month's audit log. Each binds typed values, runs one export command (which checks access and reads
/// everything before the answer starts, so a refusal is a problem document) and streams the file.
/// </summary>
public static class ExportsApi
{
    private const string FormatHelp = "xlsx (default) or csv";

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Exports").WithUserErrors();
        Describe(api.MapGet("/months/{month}/results/export", MonthAsync), "ExportMonthResults", "The month overview as xlsx or CSV",
            "As the month page: HR and the general manager everyone; a supervisor their team once the month is confirmed; agents 403. Audited as pay.read.");
        Describe(api.MapGet("/months/{month}/payrun/export", PayRunAsync), "ExportPayRun", "The month's pay run (工资表) as xlsx or CSV",
            "HR and the general manager. One row per person with every pay component and the rule applied; the xlsx adds the totals row and signature lines. Audited as pay.read.");
        Describe(api.MapGet("/people/{id:int}/results/export", HistoryAsync), "ExportPersonHistory", "One person's results and pay over the months as xlsx or CSV",
            "The person, their supervisor, HR and the general manager; open months only for HR and the general manager. Others' reads are audited as pay.read.");
        Describe(api.MapGet("/months/{month}/audit/export", AuditAsync), "ExportAuditLog", "A month's audit log as xlsx or CSV",
            "HR and the general manager. Newest first; times in UTC.");
        return app;
    }

    public static async Task<PushStreamHttpResult> MonthAsync([Description("YYYY-MM")] YearMonth month, [Description(FormatHelp)] string? format,
        ExportMonthOverview export, Actor actor, CancellationToken ct)
    {
        var kind = ExportFormats.Parse(format);
        return File(await export.ExecuteAsync(actor, month, ct), kind, ct);
    }

    public static async Task<PushStreamHttpResult> PayRunAsync([Description("YYYY-MM")] YearMonth month, [Description(FormatHelp)] string? format,
        ExportPayRun export, Actor actor, CancellationToken ct)
    {
        var kind = ExportFormats.Parse(format);
        return File(await export.ExecuteAsync(actor, month, ct), kind, ct);
    }

    public static async Task<PushStreamHttpResult> HistoryAsync([Description("The person's id")] int id, [Description(FormatHelp)] string? format,
        ExportHistory export, Actor actor, CancellationToken ct)
    {
        var kind = ExportFormats.Parse(format);
        return File(await export.ExecuteAsync(actor, id, ct), kind, ct);
    }

    public static async Task<PushStreamHttpResult> AuditAsync([Description("YYYY-MM")] YearMonth month, [Description(FormatHelp)] string? format,
        ExportAuditLog export, Actor actor, CancellationToken ct)
    {
        var kind = ExportFormats.Parse(format);
        return File(await export.ExecuteAsync(actor, month, ct), kind, ct);
    }

    // The format is read before the export runs, so that a wrong one is a 400 whoever asks; the file is written
    // after every check and read, so that a refusal is a problem document, never half a file.
    private static PushStreamHttpResult File(ExportTable table, ExportFormat format, CancellationToken ct)
    {
        return TypedResults.Stream(stream => table.WriteAsync(format, stream, ct), ExportFormats.ContentType(format), ExportFormats.FileName(table, format));
    }

    private static void Describe(RouteHandlerBuilder route, string name, string summary, string description) =>
        route.WithName(name).WithSummary(summary).WithDescription(description)
            .Produces(StatusCodes.Status200OK, contentType: ExportFormats.XlsxContentType, additionalContentTypes: ["text/csv"])
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
