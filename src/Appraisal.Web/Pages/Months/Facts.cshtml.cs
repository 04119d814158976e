using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Months;

/// <summary>
/// HR's page for a month's facts (D16): sales plan and actual (第九条), absence and eligibility overrides
/// (第二条, D14) for every appraised agent in one all-or-nothing form; pay adjustments (其他, D10);
/// window extensions (D17); and computing the results. The general manager sees it read-only.
/// </summary>
public sealed class FactsModel(
    AppDbContext db,
    PolicyStore policies,
    SaveFacts saveFacts,
    AddPayAdjustment addAdjustment,
    ExtendWindow extendWindow,
    ComputeResults compute,
    AuditLog audit,
    CompanyClock clock) : PageModel
{
    /// <summary>One row of the bulk form, as typed.</summary>
    public sealed class RowForm
    {
        public int PersonId { get; set; }

        public string? SalesPlan { get; set; }

        public string? SalesActual { get; set; }

        public string? AbsentDays { get; set; }

        public string? Eligibility { get; set; }

        public string? OverrideReason { get; set; }

        public int? Version { get; set; }
    }

    /// <param name="AbsentBefore">Absence in the earlier months of D14's window (the current month is in the form).</param>
    public sealed record Row(Person Person, string? TeamName, RowForm Form, bool Stored, decimal OtherPay, int AbsentBefore);

    public sealed record Adjustment(PayAdjustment Item, Person Person);

    public sealed record Extension(WindowExtension Item, Person Person);

    /// <summary>Rows per page: a page's form posts 7 values per row, so 100 rows stay far below ASP.NET Core's 1 024 form values.</summary>
    public const int PageSize = 100;

    /// <summary>The longest search text the page reads; anything longer matches nobody anyway.</summary>
    public const int MaxQueryLength = Paging.MaxQueryLength;

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    /// <summary>Search by name or employee number (part of either, case ignored); in the query string so that a link keeps it.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>Only the agents of this team (its id).</summary>
    [BindProperty(SupportsGet = true, Name = "team")]
    public int? TeamFilter { get; set; }

    /// <summary>Only the agents whose facts are entered ("entered") or not yet ("missing").</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    /// <summary>The order: employee number (default), "name" or "team".</summary>
    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>The page of the matching agents, from 1 ("page" is Razor Pages' own route value, hence "p").</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    private string? KnownStatus => Status is "entered" or "missing" ? Status : null;

    private string? KnownSort => Sort is "name" or "team" ? Sort : null;

    [BindProperty]
    public List<RowForm> Rows { get; set; } = [];

    [BindProperty]
    public int AdjustPersonId { get; set; }

    [BindProperty]
    public string? AdjustAmount { get; set; }

    [BindProperty]
    public string? AdjustReason { get; set; }

    [BindProperty]
    public int ExtendPersonId { get; set; }

    [BindProperty]
    public DateOnly? ExtendUntil { get; set; }

    [BindProperty]
    public string? ExtendReason { get; set; }

    public AppraisalMonth MonthRow { get; private set; } = null!;

    public PolicyDocument Policy { get; private set; } = null!;

    public int DaysInMonth { get; private set; }

    public DateOnly Deadline { get; private set; }

    public List<Row> Table { get; } = [];

    public List<Adjustment> Adjustments { get; } = [];

    public List<Extension> Extensions { get; } = [];

    public bool HasResults { get; private set; }

    /// <summary>HR on an open month; the general manager and a confirmed month are read-only.</summary>
    public bool CanEdit { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Set when <c>?month=</c> names no opened month: the page shows only this message (404).</summary>
    public string? NotFoundMessage { get; private set; }

    /// <summary>Each problem of a refused save (person and field), listed under <see cref="Error"/>.</summary>
    public List<string> ErrorList { get; } = [];

    /// <summary>Which form the error belongs to (facts, adjust, extend, compute), shown next to it.</summary>
    public string? ErrorAt { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>
    /// What the last action came to, at the top of the page: the refusal with each problem (a person and what they
    /// lack, linked to their sheet or row), or the notice with the next step.
    /// </summary>
    public Outcome? Outcome
    {
        get
        {
            if (refusal is not null)
            {
                return Pages.Outcome.Refused(refusal, Error);
            }

            if (Notice is null)
            {
                return null;
            }

            var next = new List<OutcomeLink>();
            if (NextCompute)
            {
                next.Add(new OutcomeLink("#compute-title", T("去计算结果", "Go to compute the results")));
            }

            if (ResultsMonth is not null)
            {
                next.Add(new OutcomeLink($"/Results/Month?month={ResultsMonth}", T("查看结果总览", "See the results")));
            }

            return Pages.Outcome.Done(Notice) with { Next = next };
        }
    }

    private UserError? refusal;

    /// <summary>Set after a save that changed data: the notice links to the next step, computing the results.</summary>
    [TempData]
    public bool NextCompute { get; set; }

    /// <summary>Set after a successful computation: the results page to go on to.</summary>
    [TempData]
    public string? ResultsMonth { get; set; }

    /// <summary>Appraised agents of the month.</summary>
    public int Total { get; private set; }

    /// <summary>Appraised agents matching the search and team filter (all pages).</summary>
    public int Matching { get; private set; }

    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    /// <summary>The teams of the month's agents, for the filter.</summary>
    public List<(int Id, string Name)> TeamOptions { get; } = [];

    /// <summary>True when a search, team or entered filter is applied.</summary>
    public bool Filtered => !string.IsNullOrWhiteSpace(Query) || TeamFilter is not null || KnownStatus is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var refused = await LoadAsync(keepPostedRows: false, ct);
        if (refused is not null)
        {
            return refused;
        }

        SuggestExtension();

        // D19: the page shows every agent's pay adjustments (其他, part of their pay), so the read is logged.
        audit.Record(Actor.From(User).UserName, "pay.read", MonthRow.Month, detail: "facts page: pay adjustments of all appraised agents");
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>The form without script: the rows of the page shown (at most <see cref="PageSize"/>), all or nothing.</summary>
    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) => RunAsync("facts", async (actor, ct2) =>
    {
        var entries = Rows.Select(ToEntry).ToList();
        var changed = await saveFacts.ExecuteAsync(actor, MonthRow.Id, entries, ct2);
        NextCompute = changed > 0;
        return Saved(changed);
    }, ct);

    /// <summary>The rows the page's script changed, each as <see cref="RowForm"/>: the text of each field as typed and the version it showed.</summary>
    public sealed record ChangesRequest(List<RowForm>? Rows);

    /// <summary>A saved row's new version, so that the page can save it again without reloading.</summary>
    public sealed record SavedRow(int PersonId, int Version);

    /// <param name="Problems">Every problem (person and field), in the user's language; empty on success.</param>
    /// <param name="Reload">True when someone else changed rows meanwhile: the page must be reloaded.</param>
    public sealed record ChangesResponse(string Message, bool Saved, bool NextCompute, bool Reload, List<string> Problems, List<SavedRow> Rows);

    /// <summary>
    /// The page's script saves only the rows it changed, as JSON (any number of them: no form-value limit), through the
    /// same conversion and command as the form: text that is not a number is reported by person and field like every
    /// other problem; one transaction, all or nothing; a row changed meanwhile is a 409 naming it.
    /// </summary>
    public async Task<IActionResult> OnPostChangesAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!FactsAccess.MayRead(actor))
        {
            return Forbid();
        }

        if (await MonthLookup.FindAsync(db, Month, ct) is not ({ } month, _))
        {
            return NotFound();
        }

        if (!Request.HasJsonContentType())
        {
            return Answer(StatusCodes.Status415UnsupportedMediaType, T("请求体必须是 JSON", "the request body must be JSON"));
        }

        ChangesRequest? body;
        try
        {
            body = await Request.ReadFromJsonAsync<ChangesRequest>(ct);
        }
        catch (System.Text.Json.JsonException)
        {
            return Answer(StatusCodes.Status400BadRequest, T("请求无法读取：须为 {\"rows\": [...]}", "the request cannot be read: expected {\"rows\": [...]}"));
        }

        var rows = body?.Rows ?? [];
        try
        {
            var entries = rows.Select(ToEntry).ToList();
            var changed = await saveFacts.ExecuteAsync(actor, month.Id, entries, ct);
            // The month's versions in one plain query, kept for the rows sent (a list of thousands of ids in SQL costs more than it saves).
            var ids = rows.Select(r => r.PersonId).ToHashSet();
            var versions = (await db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id)
                .Select(f => new SavedRow(f.PersonId, f.Version)).ToListAsync(ct)).Where(v => ids.Contains(v.PersonId)).ToList();
            return new JsonResult(new ChangesResponse(Saved(changed), true, changed > 0, false, [], versions));
        }
        catch (UserError e) when (e.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
        {
            return e.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        catch (UserError e)
        {
            return new JsonResult(new ChangesResponse(Heading(e), false, false, e.Status == StatusCodes.Status409Conflict, Problems(e), []))
            {
                StatusCode = e.Status,
            };
        }
    }

    public Task<IActionResult> OnPostAdjustAsync(CancellationToken ct) => RunAsync("adjust", async (actor, ct2) =>
    {
        if (!FormNumber.TryDecimal(AdjustAmount, out var amount))
        {
            throw new UserError($"金额“{AdjustAmount}”无效，须为数字，扣款为负数", $"amount \"{AdjustAmount}\" is not a number (negative for a deduction)");
        }

        await addAdjustment.ExecuteAsync(actor, MonthRow.Id, AdjustPersonId, amount, AdjustReason, ct2);
        return T("已添加工资调整。数据变更后须重新计算结果。", "Pay adjustment added. Compute the results again to include it.");
    }, ct);

    public Task<IActionResult> OnPostExtendAsync(CancellationToken ct) => RunAsync("extend", async (actor, ct2) =>
    {
        var row = await extendWindow.ExecuteAsync(actor, MonthRow.Id, ExtendPersonId, ExtendUntil, ExtendReason, ct2);
        return T($"已将考核期延长至 {Date(row.Until)}。", $"Appraisal window extended to {Date(row.Until)}.");
    }, ct);

    public Task<IActionResult> OnPostComputeAsync(CancellationToken ct) => RunAsync("compute", async (actor, ct2) =>
    {
        var count = await compute.ExecuteAsync(actor, MonthRow.Id, ct2);
        ResultsMonth = MonthRow.Month;
        return T($"已计算 {count} 名员工的结果。", $"Results computed for {count} employee(s).");
    }, ct);

    /// <summary>The route values of this page as shown now (month, search, team) at <paramref name="pageNumber"/>: the forms, the pager and the redirect keep the view.</summary>
    public Dictionary<string, string> Route(int pageNumber)
    {
        var route = new Dictionary<string, string> { ["month"] = MonthRow.Month };
        if (!string.IsNullOrWhiteSpace(Query))
        {
            route["q"] = Query.Trim();
        }

        if (TeamFilter is { } team)
        {
            route["team"] = team.ToString(CultureInfo.InvariantCulture);
        }

        if (KnownStatus is { } status)
        {
            route["status"] = status;
        }

        if (KnownSort is { } sort)
        {
            route["sort"] = sort;
        }

        if (pageNumber > 1)
        {
            route["p"] = pageNumber.ToString(CultureInfo.InvariantCulture);
        }

        return route;
    }

    private static string Saved(int changed) => changed == 0
        ? T("没有需要保存的更改。", "Nothing had changed.")
        : T($"已保存 {changed} 人的数据；下一步：计算结果。", $"Saved the facts of {changed} {(changed == 1 ? "person" : "people")}; next: compute the results.");

    private static string Heading(UserError e) => e.Errors is { Count: > 0 } list
        ? e.Status == StatusCodes.Status409Conflict
            ? T("未保存任何数据：下列行已被他人修改（其余问题一并列出），请刷新页面后重新录入：", "Nothing was saved: the rows below were changed by someone else (any other problems are listed too); reload the page and enter them again:")
            : T($"未保存任何数据，共 {list.Count} 处问题，请改正后再保存：", $"Nothing was saved; {list.Count} problem(s) to correct before saving:")
        : e.Localized;

    private static List<string> Problems(UserError e) => e.Errors is { Count: > 0 } list ? list.Select(x => T(x.Zh, x.En)).ToList() : [];

    private static JsonResult Answer(int status, string message) =>
        new(new ChangesResponse(message, false, false, false, [], [])) { StatusCode = status };

    private async Task<IActionResult> RunAsync(string form, Func<Actor, CancellationToken, Task<string>> command, CancellationToken ct)
    {
        var refused = await LoadAsync(keepPostedRows: form == "facts", ct);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            Notice = await command(Actor.From(User), ct);
            return RedirectToPage(new RouteValueDictionary(Route(PageNumber).Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value))));
        }
        catch (UserError e) when (e.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
        {
            return e.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        catch (UserError e)
        {
            // Nothing was saved; the page shows the message (and each problem) with what was typed.
            Error = form == "facts" ? Heading(e) : e.Localized;
            refusal = e;
            if (form == "facts")
            {
                ErrorList.AddRange(Problems(e));
            }

            ErrorAt = form;
            Response.StatusCode = e.Status;
            if (form != "extend")
            {
                SuggestExtension();
            }

            return Page();
        }
    }

    /// <returns>A refusal, or null when the page may be shown.</returns>
    private async Task<IActionResult?> LoadAsync(bool keepPostedRows, CancellationToken ct)
    {
        var actor = Actor.From(User);

        if (!FactsAccess.MayRead(actor))
        {
            return Forbid();
        }

        if (await MonthLookup.FindAsync(db, Month, ct) is not ({ } month, var ym))
        {
            // A month typed wrong in the address: a 404 page naming it, like the other month pages.
            NotFoundMessage = (YearMonth.TryParse(Month, out var typed) ? MonthLookup.NotOpened(typed) : MonthLookup.NotAMonth(Month)).Localized;
            var page = Page();
            page.StatusCode = StatusCodes.Status404NotFound;
            return page;
        }

        MonthRow = month;
        Policy = await policies.InForceAsync(ym, ct);
        DaysInMonth = ym.DaysInMonth;
        Deadline = WindowRules.Deadline(Policy, ym);
        CanEdit = FactsAccess.MayEdit(actor, month);
        HasResults = await db.Results.AnyAsync(r => r.MonthId == month.Id, ct);

        // The filter, the count and the page are done by the database; the month's facts, sums and the
        // absence window are then read for the page's people only (no query per person).
        var appraised = ComputeResults.Appraised(db, ym);
        Total = await appraised.CountAsync(ct);
        var teamIds = await appraised.Where(p => p.TeamId != null).Select(p => p.TeamId!.Value).Distinct().ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        TeamOptions.AddRange(teams.Select(t => (t.Key, t.Value)).OrderBy(t => t.Value, StringComparer.Ordinal));

        var matching = Paging.Matching(appraised, Query);
        if (TeamFilter is { } team)
        {
            matching = matching.Where(p => p.TeamId == team);
        }

        var monthId = month.Id;
        matching = KnownStatus switch
        {
            "entered" => matching.Where(p => db.Facts.Any(f => f.MonthId == monthId && f.PersonId == p.Id)),
            "missing" => matching.Where(p => !db.Facts.Any(f => f.MonthId == monthId && f.PersonId == p.Id)),
            _ => matching,
        };
        var ordered = KnownSort switch
        {
            "name" => matching.OrderBy(p => p.Name).ThenBy(p => p.EmployeeNo),
            "team" => matching.OrderBy(p => p.Team != null ? p.Team.Name : null).ThenBy(p => p.EmployeeNo),
            _ => matching.OrderBy(p => p.EmployeeNo),
        };
        var cut = await Paging.ReadAsync(ordered, PageNumber, Total, ct, PageSize);
        Matching = cut.Matching;
        PageNumber = cut.Number;
        var shown = cut.Rows;
        var ids = shown.Select(p => p.Id).ToList();

        var facts = await db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id && ids.Contains(f.PersonId)).ToDictionaryAsync(f => f.PersonId, ct);
        var other = await db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == month.Id && ids.Contains(a.PersonId))
            .GroupBy(a => a.PersonId).Select(g => new { PersonId = g.Key, Sum = g.Sum(a => a.Amount) }).ToDictionaryAsync(o => o.PersonId, o => o.Sum, ct);

        // D14's trailing window (Core's one definition): the months before this one that count towards "absent more than 60 days".
        var earlier = Appraisal.Core.Results.AbsenceWindow.Of(Policy, ym).EarlierMonths.Select(m => m.ToString()).ToList();
        var absentBefore = await db.Facts.AsNoTracking().Where(f => earlier.Contains(f.Month!.Month) && ids.Contains(f.PersonId))
            .GroupBy(f => f.PersonId).Select(g => new { PersonId = g.Key, Days = g.Sum(f => f.AbsentDays) }).ToDictionaryAsync(a => a.PersonId, a => a.Days, ct);

        var posted = keepPostedRows ? Rows.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.First()) : [];
        foreach (var person in shown)
        {
            facts.TryGetValue(person.Id, out var f);
            var form = posted.GetValueOrDefault(person.Id) ?? new RowForm
            {
                PersonId = person.Id,
                SalesPlan = f is null ? null : FormNumber.Text(f.SalesPlan),
                SalesActual = f is null ? null : FormNumber.Text(f.SalesActual),
                AbsentDays = f is null ? null : FormNumber.Text(f.AbsentDays),
                Eligibility = f?.EligibilityOverride switch { true => SaveFacts.Include, false => SaveFacts.Exclude, null => string.Empty },
                OverrideReason = f?.OverrideReason,
                Version = f?.Version,
            };
            Table.Add(new Row(
                person,
                person.TeamId is { } t ? teams.GetValueOrDefault(t) : null,
                form,
                f is not null,
                other.GetValueOrDefault(person.Id),
                absentBefore.GetValueOrDefault(person.Id)));
        }

        // The month's adjustments and window extensions (a handful), with the appraised people they concern.
        var adjustments = await db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == month.Id).OrderBy(a => a.At).ToListAsync(ct);
        var extensions = await db.WindowExtensions.AsNoTracking().Where(e => e.MonthId == month.Id).OrderBy(e => e.At).ToListAsync(ct);
        var concerned = adjustments.Select(a => a.PersonId).Concat(extensions.Select(e => e.PersonId)).Distinct().ToList();
        var byId = await appraised.Where(p => concerned.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        Adjustments.AddRange(adjustments.Where(a => byId.ContainsKey(a.PersonId)).Select(a => new Adjustment(a, byId[a.PersonId])));
        Extensions.AddRange(extensions.Where(e => byId.ContainsKey(e.PersonId)).Select(e => new Extension(e, byId[e.PersonId])));
        return null;
    }

    /// <summary>
    /// The typed values of a posted row; text that is not a number goes to the command as unread, which
    /// reports it with every other problem, by employee number and field.
    /// </summary>
    private static FactsEntry ToEntry(RowForm r)
    {
        var plan = Read<decimal>(r.SalesPlan, FormNumber.TryDecimal);
        var actual = Read<decimal>(r.SalesActual, FormNumber.TryDecimal);
        var absent = Read<int>(r.AbsentDays, FormNumber.TryWhole);
        return new FactsEntry(r.PersonId, plan.Value, actual.Value, absent.Value, r.Eligibility, r.OverrideReason, r.Version)
        {
            Unread = (plan.Unread ?? actual.Unread ?? absent.Unread) is null ? null : new UnreadFacts(plan.Unread, actual.Unread, absent.Unread),
        };
    }

    private delegate bool TryRead<T>(string? text, out T value);

    private static (T? Value, string? Unread) Read<T>(string? text, TryRead<T> read)
        where T : struct =>
        string.IsNullOrWhiteSpace(text) ? (null, null) : read(text, out var value) ? (value, null) : (null, text.Trim());

    /// <summary>What the extension form proposes: a few days past the normal deadline, or past today when that is later.</summary>
    private void SuggestExtension()
    {
        var today = clock.Today;
        ExtendUntil = (today > Deadline ? today : Deadline).AddDays(3);
    }
}
