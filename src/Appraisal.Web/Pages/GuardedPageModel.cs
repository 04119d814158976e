using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Appraisal.Web.Pages;

/// <summary>
/// A page that reads or changes data under the rules: a <see cref="UserError"/> is shown as its
/// localized text in the page's alert with its status code (403, 404, 409, 400) and changes nothing;
/// a change that succeeds redirects back (post/redirect/get) with a notice. Either is the page's
/// <see cref="Outcome"/>, shown at the top of its content by <c>Shared/_Outcome.cshtml</c>.
/// </summary>
public abstract class GuardedPageModel : PageModel
{
    private UserError? refusal;

    public string? Error { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The next steps after <see cref="Notice"/> (<see cref="Outcome.Pack"/>), carried across the redirect.</summary>
    [TempData]
    public string? NoticeNext { get; set; }

    /// <summary>What the last action came to: the refusal with each of its problems, or the notice and its next steps.</summary>
    public Outcome? Outcome => refusal is not null ? Outcome.Refused(refusal) : Outcome.Of(Error, Notice, NoticeNext);

    /// <summary>The status of the refusal shown, if any (a 404 page shows the message alone).</summary>
    public int? RefusedStatus => refusal?.Status;

    /// <summary>Links the notice of a change that succeeds to what comes next.</summary>
    protected void Next(params OutcomeLink[] links) => NoticeNext = Outcome.Pack(links);

    /// <summary>The signed-in user as the rules see them (D19).</summary>
    protected Actor Me => Actor.From(User);

    /// <summary>Shows <paramref name="error"/> on the page with its status code.</summary>
    protected IActionResult Refuse(UserError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error.Localized;
        refusal = error;
        var page = Page();
        page.StatusCode = error.Status;
        return page;
    }

    /// <summary>Runs a read; a refusal renders the page with the message only.</summary>
    protected async Task<IActionResult> ReadAsync(Func<Task> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            await read();
            return Page();
        }
        catch (UserError e)
        {
            return Refuse(e);
        }
    }

    /// <summary>
    /// Runs a change; on success redirects to <paramref name="back"/> with the notice it returns, on a
    /// refusal shows the message above the page as it is now (read again by <paramref name="read"/>).
    /// </summary>
    protected async Task<IActionResult> ChangeAsync(Func<Task<string>> change, Func<Task> read, string back)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            Notice = await change();
            return LocalRedirect(back);
        }
        catch (UserError e)
        {
            // "Changes nothing": whatever the refused command had begun to change must not be saved by the
            // read below (it may write an audit entry).
            HttpContext.RequestServices.GetRequiredService<AppDbContext>().ChangeTracker.Clear();
            try
            {
                await read();
            }
            catch (UserError)
            {
                // The page cannot be shown either; the first refusal is the one that answers the post.
            }

            return Refuse(e);
        }
    }
}
