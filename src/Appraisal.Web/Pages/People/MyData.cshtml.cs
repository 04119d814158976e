using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Pages.People;

/// <summary>
/// "我的数据" (D25, PIPL Art. 45): every person downloads everything held about them as one file; HR and the
/// general manager download it for a person by employee number (audited).
/// </summary>
public sealed class MyDataModel(ReadPersonalData read, AppDbContext db) : GuardedPageModel
{
    /// <summary>For HR and the general manager: whose data to download.</summary>
    [BindProperty(SupportsGet = true)]
    public string? EmployeeNo { get; set; }

    public bool HasOwnData => Me.PersonId is not null;

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        try
        {
            var personId = await WhoseAsync(ct);
            var file = await read.ExecuteAsync(Me, personId, ct);
            return File(ReadPersonalData.ToUtf8(file), "application/json; charset=utf-8", ReadPersonalData.FileName(file));
        }
        catch (UserError e)
        {
            return Refuse(e);
        }
    }

    private async Task<int> WhoseAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(EmployeeNo))
        {
            return Me.PersonId ?? throw ReadPersonalData.NoPerson();
        }

        // Another person's data, named by employee number: refused before the number is looked up (D19, D25).
        ReadPersonalData.EnsureMayRead(Me, null);
        var no = EmployeeNo.Trim();
        return await ReadPeople.IdOfAsync(db, no, ct);
    }
}
