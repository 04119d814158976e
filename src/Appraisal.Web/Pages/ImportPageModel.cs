using Appraisal.Core.Months;
using Appraisal.App.Files;
using Appraisal.Web.Files;
using Microsoft.AspNetCore.Mvc;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages;

/// <summary>
/// HR's import pages (the month's sales, absence and adjustments, past months, people): choose the kind, download its
/// template, upload a file or paste rows from Excel; every problem is listed at the top, else the preview (new, changed,
/// unchanged; old → new) with a button to confirm; the outcome says what to do next. The pages bind and show; the
/// commands (<see cref="PreviewImport"/>, <see cref="ConfirmImport"/>) read, check and apply.
/// </summary>
public abstract class ImportPageModel(PreviewImport preview, ConfirmImport confirm, ImportPlanner planner) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? Pasted { get; set; }

    [BindProperty]
    public string? Token { get; set; }

    public ImportKind Chosen { get; private set; }

    public ImportCheck? Check { get; private set; }

    public ImportLayout? Layout { get; private set; }

    /// <summary>The kinds this page imports.</summary>
    public abstract IReadOnlyList<ImportKind> Kinds { get; }

    /// <summary>The month the import goes into, for the month's kinds.</summary>
    protected abstract YearMonth? TargetMonth { get; }

    /// <summary>Where a confirmed import sends HR next, and the words of the link.</summary>
    public abstract (string Href, string Zh, string En) NextStep { get; }

    /// <summary>The page's own query (month, kind) for links and redirects.</summary>
    public abstract string Self(ImportKind kind);

    /// <summary>The month in the page's query, carried by its forms.</summary>
    public virtual string? RouteMonth => null;

    protected virtual Task LoadAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => PrepareAsync(ct));

    public Task<IActionResult> OnGetTemplateAsync(string? format, CancellationToken ct) => TemplateAsync(format, ct);

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        return await RunAsync(async () =>
        {
            if (Upload is null || Upload.Length == 0)
            {
                throw new UserError("请选择要上传的文件（.xlsx 或 .csv）", "choose the file to upload (.xlsx or .csv)");
            }

            if (Upload.Length > TableReader.MaxFileBytes)
            {
                throw new UserError($"文件超过 {TableReader.MaxFileBytes / 1024 / 1024} MB", $"the file is larger than {TableReader.MaxFileBytes / 1024 / 1024} MB", 413);
            }

            using var buffer = new MemoryStream((int)Upload.Length);
            await Upload.CopyToAsync(buffer, ct);
            Check = await preview.ExecuteAsync(Me, Chosen, TargetMonth, Upload.FileName, buffer.ToArray(), ct: ct);
        }, ct);
    }

    public async Task<IActionResult> OnPostPasteAsync(CancellationToken ct) =>
        await RunAsync(async () => Check = await preview.ExecutePastedAsync(Me, Chosen, TargetMonth, Pasted ?? string.Empty, ct), ct);

    public Task<IActionResult> OnPostConfirmAsync(CancellationToken ct) => ChangeAsync(
        async () =>
        {
            await PrepareAsync(ct);
            var outcome = await confirm.ExecuteAsync(Me, Token ?? string.Empty, ct);
            var (href, zh, en) = NextStep;
            return outcome.Changed == 0
                ? T($"“{outcome.FileName}”与现有数据相同，没有任何更改。", $"\"{outcome.FileName}\" matches the data already held; nothing changed.")
                : T($"已从“{outcome.FileName}”导入 {outcome.Changed} 行，每项更改都已记入审计日志。下一步：{zh}。", $"{outcome.Changed} row(s) imported from \"{outcome.FileName}\"; every change is in the audit log. NextStep: {en}.");
        },
        () => PrepareAsync(ct),
        Self(ImportLayout.TryParseSlug(Kind, out var k) && Kinds.Contains(k) ? k : Kinds[0]));

    private async Task<IActionResult> RunAsync(Func<Task> action, CancellationToken ct)
    {
        try
        {
            await PrepareAsync(ct);
            await action();
            if (Check is { Problems.Count: > 0 })
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }

            return Page();
        }
        catch (UserError e)
        {
            try
            {
                await PrepareAsync(ct);
            }
            catch (UserError)
            {
                // The first refusal answers.
            }

            return Refuse(e);
        }
    }

    private async Task<IActionResult> TemplateAsync(string? format, CancellationToken ct)
    {
        try
        {
            await PrepareAsync(ct);
            var layout = Layout!;
            return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                ? File(ImportTemplates.Csv(layout), ImportTemplates.CsvType, layout.TemplateName + ".csv")
                : File(ImportTemplates.Xlsx(layout), ImportTemplates.XlsxType, layout.TemplateName + ".xlsx");
        }
        catch (UserError e)
        {
            return Refuse(e);
        }
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        ImportAccess.Ensure(Me);
        if (Kind is null)
        {
            Chosen = Kinds[0];
        }
        else if (!ImportLayout.TryParseSlug(Kind, out var kind) || !Kinds.Contains(kind))
        {
            throw new UserError($"导入类型“{Kind}”无效", $"the import kind \"{Kind}\" is not valid", 404);
        }
        else
        {
            Chosen = kind;
        }

        await LoadAsync(ct);
        Layout = await planner.LayoutAsync(Chosen, TargetMonth, ct);
    }
}
