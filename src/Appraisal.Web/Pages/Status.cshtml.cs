using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages;

/// <summary>
/// The page shown for a refusal that has no page of its own (a mistyped address, a value that cannot be read). A
/// refused form post is shown here too, re-executed with its own method, so the post is answered without a second
/// antiforgery check (the original request had its own).
/// </summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = string.Empty;

    public string Message { get; private set; } = string.Empty;

    public IReadOnlyList<(string Name, string Value)> BadValues { get; private set; } = [];

    public void OnGet(int? code)
    {
        // Shown in place of the original answer: keep its status, and only for a re-executed request.
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var status = original is null ? StatusCodes.Status404NotFound : code ?? StatusCodes.Status404NotFound;
        Response.StatusCode = status;
        var (zh, en) = StatusAnswers.Message(status);
        Message = T(zh, en);
        Title = status switch
        {
            StatusCodes.Status404NotFound => T("未找到", "Not found"),
            StatusCodes.Status400BadRequest => T("请求无效", "Invalid request"),
            StatusCodes.Status403Forbidden => T("无权访问", "Access denied"),
            _ => T("请求未能完成", "The request could not be completed"),
        };
        BadValues = HttpContext.Items[StatusAnswers.BadQueryKey] as List<(string, string)> ?? [];
    }

    public void OnPost(int? code) => OnGet(code);
}
