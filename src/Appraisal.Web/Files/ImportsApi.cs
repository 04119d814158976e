using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Files;
using Appraisal.Web.Files;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraisal.Web.Files;

/// <summary>Text pasted from Excel (tab-separated, with the header row).</summary>
public sealed record PasteRequest([property: Description("The rows as Excel copies them: tab-separated, the header row first")] string? Text);

/// <summary>A file's problems: nothing can be imported until every one is corrected.</summary>
public sealed record ImportProblemsResponse(string FileName, int Count, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// The imports over HTTP (issue 8 §1): each kind's template, a file (the raw bytes of the body) or pasted text checked
/// into a preview or the list of every problem, and the confirmation of a preview. HR only. The work is done by
/// <see cref="PreviewImport"/> and <see cref="ConfirmImport"/>, which the pages use too.
/// </summary>
public static class ImportsApi
{
    /// <summary>The body types an upload may have (ApiWriteGuard lets them through on the upload routes only).</summary>
    public static readonly string[] UploadTypes = ["application/octet-stream", "text/csv", "text/plain", ImportTemplates.XlsxType];

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/imports").RequireAuthorization().WithTags("Imports").WithUserErrors();
        api.MapGet("/{kind}/template", TemplateAsync)
            .WithName("ImportTemplate")
            .WithSummary("The template of an import (HR): .xlsx (default) or .csv")
            .WithDescription("kind: sales, absence, adjustments, people or history. Chinese headers (English ones are accepted too), an example row, typed cells.")
            .Produces(StatusCodes.Status200OK, contentType: ImportTemplates.XlsxType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{kind}", UploadAsync)
            .WithName("PreviewImport")
            .WithSummary("Check a file and preview what it would change (HR); nothing is changed")
            .WithDescription("The body is the file's bytes (Content-Type application/octet-stream, text/csv or the .xlsx type); fileName names it (.xlsx or .csv; "
                + "the bytes decide what it is). month (YYYY-MM) is required for sales, absence and adjustments. 200: the preview, with the token to confirm; "
                + "422: every problem (sheet, row, column, header, value, what was expected) and nothing can be confirmed.")
            .Produces<ImportProblemsResponse>(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/{kind}/paste", PasteAsync)
            .WithName("PreviewPastedImport")
            .WithSummary("Check rows pasted from Excel and preview what they would change (HR)")
            .Produces<ImportProblemsResponse>(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/confirm/{token}", ConfirmAsync)
            .WithName("ConfirmImport")
            .WithSummary("Apply a previewed file in one transaction (HR)")
            .WithDescription("409 when the data changed since the preview (nothing is imported: preview again); 404 when the preview is gone (30 minutes, or confirmed).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<FileContentHttpResult> TemplateAsync([Description("sales, absence, adjustments, people or history")] string kind,
        [Description("xlsx (default) or csv")] string? format, [Description("YYYY-MM: the month whose policy names the columns")] YearMonth? month,
        ImportPlanner planner, Actor actor, CancellationToken ct)
    {
        ImportAccess.Ensure(actor);
        var layout = await planner.LayoutAsync(Kind(kind), month, ct);
        return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.File(ImportTemplates.Csv(layout), ImportTemplates.CsvType, layout.TemplateName + ".csv")
            : TypedResults.File(ImportTemplates.Xlsx(layout), ImportTemplates.XlsxType, layout.TemplateName + ".xlsx");
    }

    public static async Task<Results<Ok<ImportPreview>, UnprocessableEntity<ImportProblemsResponse>>> UploadAsync(
        [Description("sales, absence, adjustments, people or history")] string kind, [Description("YYYY-MM, for the month's kinds")] YearMonth? month,
        [Description("The file's name, such as sales.xlsx")] string? fileName, HttpRequest request, PreviewImport preview, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ImportAccess.Ensure(actor);
        var chosen = Kind(kind);
        if (request.ContentLength > TableReader.MaxFileBytes)
        {
            throw new UserError($"文件超过 {TableReader.MaxFileBytes / 1024 / 1024} MB", $"the file is larger than {TableReader.MaxFileBytes / 1024 / 1024} MB", 413);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > TableReader.MaxFileBytes)
            {
                throw new UserError($"文件超过 {TableReader.MaxFileBytes / 1024 / 1024} MB", $"the file is larger than {TableReader.MaxFileBytes / 1024 / 1024} MB", 413);
            }
        }

        var name = string.IsNullOrWhiteSpace(fileName) ? (request.ContentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true ? "upload.csv" : "upload.xlsx") : fileName;
        return Answer(await preview.ExecuteAsync(actor, chosen, month, name, buffer.ToArray(), ct: ct));
    }

    public static async Task<Results<Ok<ImportPreview>, UnprocessableEntity<ImportProblemsResponse>>> PasteAsync(
        [Description("sales, absence, adjustments, people or history")] string kind, [Description("YYYY-MM, for the month's kinds")] YearMonth? month,
        PasteRequest body, PreviewImport preview, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Answer(await preview.ExecutePastedAsync(actor, Kind(kind), month, body.Text ?? string.Empty, ct));
    }

    public static async Task<Ok<ImportOutcome>> ConfirmAsync(string token, ConfirmImport confirm, Actor actor, CancellationToken ct) =>
        TypedResults.Ok(await confirm.ExecuteAsync(actor, token, ct));

    private static Results<Ok<ImportPreview>, UnprocessableEntity<ImportProblemsResponse>> Answer(ImportCheck check) =>
        check.Preview is { } p
            ? TypedResults.Ok(p)
            : TypedResults.UnprocessableEntity(new ImportProblemsResponse(check.FileName, check.Problems.Count, check.Problems));

    private static ImportKind Kind(string text) => ImportLayout.TryParseSlug(text, out var kind)
        ? kind
        : throw new UserError($"导入类型“{text}”无效，应为 sales、absence、adjustments、people 或 history", $"the import kind \"{text}\" is not valid; expected sales, absence, adjustments, people or history", 404);
}
