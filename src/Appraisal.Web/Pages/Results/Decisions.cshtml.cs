using Appraisal.App.Files.Exports;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.Results;

/// <summary>The decision lists of a confirmed month (D21), each downloadable as Excel.</summary>
public sealed class DecisionsModel(ReadDecisions read, ExportTitles titles) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    public Decisions? View { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () => View = await read.ExecuteAsync(Me, MonthLookup.Parse(Month, StatusCodes.Status404NotFound), "page", ct));

    /// <summary><c>?handler=Excel&amp;list=promotion|training|pay|reviews</c>.</summary>
    public async Task<IActionResult> OnGetExcelAsync(string? list, CancellationToken ct)
    {
        try
        {
            if (list is null || !ReadDecisions.Lists.Contains(list, StringComparer.Ordinal))
            {
                throw new UserError($"未知清单“{list}”", $"unknown list \"{list}\"", 404);
            }

            var decisions = await read.ExecuteAsync(Me, MonthLookup.Parse(Month, StatusCodes.Status404NotFound), $"excel {list}", ct);
            var table = DecisionsFile.Table(decisions, list, titles);
            using var file = new MemoryStream();
            await table.WriteAsync(ExportFormat.Xlsx, file, ct);
            return File(file.ToArray(), ExportFormats.XlsxContentType, ExportFormats.FileName(table, ExportFormat.Xlsx));
        }
        catch (UserError e)
        {
            return Refuse(e);
        }
    }
}
