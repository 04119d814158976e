using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.Audit;

/// <summary>
/// The audit log's search for HR and the general manager (D25): who, what, when (days in the company's
/// time zone), person and month; newest first, a page at a time; old → new where the change has them.
/// </summary>
[ReportsBadQuery]
public sealed class IndexModel(ReadAuditLog read, CompanyClock clock) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Who { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? What { get; set; }

    /// <summary>First day, in the company's time zone.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>Last day (included), in the company's time zone.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public AuditPage? Result { get; private set; }

    /// <summary>The company's wall clock for an entry's time.</summary>
    public DateTimeOffset Local(DateTime utc) => clock.Local(utc);

    /// <summary>The company's offset from UTC now, e.g. UTC+08:00, for the column heading.</summary>
    public string Zone
    {
        get
        {
            var offset = clock.Local(clock.UtcNow).Offset;
            return $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";
        }
    }

    /// <summary>The link to the next (older) page: the same search, continued.</summary>
    public string OlderLink(string next) => QueryString.Create(new Dictionary<string, string?>
    {
        ["who"] = Who,
        ["what"] = What,
        ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["person"] = Person,
        ["month"] = Month,
        ["before"] = next,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        ReadAuditLog.EnsureMayRead(Me);
        foreach (var (field, zh, en) in new[] { (nameof(From), "起始日期", "the first day"), (nameof(To), "截止日期", "the last day") })
        {
            if (ModelState.TryGetValue(field, out var state) && state.Errors.Count > 0)
            {
                throw new UserError($"{zh}“{state.AttemptedValue}”无效，请按 年-月-日 填写，如 2026-03-01",
                    $"{en} \"{state.AttemptedValue}\" is not a valid date; enter it as year-month-day, e.g. 2026-03-01");
            }
        }

        if (From > To)
        {
            throw new UserError("起始日期晚于截止日期，请调换或修改", "the first day is after the last day; swap or correct them");
        }

        Result = await read.ExecuteAsync(Me, new AuditQuery(
            Who, What, From is { } f ? clock.StartOfDayUtc(f) : null, To is { } t ? clock.StartOfDayUtc(t.AddDays(1)) : null, Person, Month, Before), ct);
    });
}
