using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Sheets;

/// <summary>
/// The KPI sheet 《客服 KPI 考核表》 for one person, month and assessor (D16): levels with their score
/// ranges (D2), whole-point scores (D3), saved as a draft or submitted, then read-only. Beside the items
/// the month's facts and the previous scores inform the assessor (D20); on the supervisor's sheet the
/// employee's self-assessment too. Who may see or change which sheet is D19's rule, checked before
/// anything about the person is read.
/// </summary>
public sealed class EditModel(AppDbContext db, SheetAccess sheetAccess, PolicyStore policies, SaveSheet saveSheet, CompanyClock clock) : PageModel
{
    /// <summary>One item as posted: the level's index and the score as typed.</summary>
    public sealed class ItemForm
    {
        public string Key { get; set; } = string.Empty;

        public int? Level { get; set; }

        public string? Score { get; set; }
    }

    /// <summary>What the form shows for one item: stored values, or what was typed when saving failed.</summary>
    public sealed record Entry(int? Level, string? Score);

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty]
    public List<ItemForm> Items { get; set; } = [];

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Which button was pressed: <c>save</c> (draft) or <c>submit</c>.</summary>
    [BindProperty]
    public string? Mode { get; set; }

    public PolicyDocument Policy { get; private set; } = null!;

    public AppraisalMonth MonthRow { get; private set; } = null!;

    public Person Subject { get; private set; } = null!;

    public SheetKind SheetKind { get; private set; }

    /// <summary>The stored sheet, or null when there is none or this viewer may not read its draft.</summary>
    public Sheet? Sheet { get; private set; }

    /// <summary>A sheet exists but is a draft of someone else: its content is not shown.</summary>
    public bool DraftOfSomeoneElse { get; private set; }

    public bool CanEdit { get; private set; }

    /// <summary>The form is shown: the viewer may edit, the month is open, the sheet not submitted, the window open.</summary>
    public bool Editable { get; private set; }

    public bool WindowClosed { get; private set; }

    public DateOnly WindowOpens { get; private set; }

    public DateOnly Deadline { get; private set; }

    public DateOnly? ExtendedUntil { get; private set; }

    public Dictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>The submitted self-assessment shown beside the supervisor's sheet (D16).</summary>
    public Sheet? SelfBeside { get; private set; }

    public string? PreviousMonth { get; private set; }

    /// <summary>The previous month's submitted supervisor scores by item (D20), or null.</summary>
    public Dictionary<string, int>? PreviousScores { get; private set; }

    public MonthFacts? Facts { get; private set; }

    public string? OtherSheetUrl { get; private set; }

    public bool ShowTeamLink { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Set when the month, kind or person names no sheet: the page shows only this message (404).</summary>
    public string? NotFoundMessage { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>What the last action came to, shown at the top of the page (<c>Shared/_Outcome.cshtml</c>).</summary>
    public Outcome? Outcome => Pages.Outcome.Of(Error, Notice);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var refused = await LoadAsync(ct);
        if (refused is not null)
        {
            return refused;
        }

        FillFromStored();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var refused = await LoadAsync(ct);
        if (refused is not null)
        {
            return refused;
        }

        if (!CanEdit)
        {
            return Forbid();
        }

        var submit = string.Equals(Mode, "submit", StringComparison.Ordinal);
        var (inputs, problems) = Read();
        if (problems.Count > 0)
        {
            problems.AddRange(SaveSheet.Check(Policy, inputs, complete: false));
            return Refuse(new UserError(string.Join("；", problems.Select(p => p.Zh)), string.Join("; ", problems.Select(p => p.En))));
        }

        try
        {
            await saveSheet.ExecuteAsync(Actor.From(User), MonthRow.Id, Subject.Id, SheetKind, inputs, Comment, submit, Version, ct);
        }
        catch (UserError e)
        {
            return Refuse(e);
        }

        Notice = submit
            ? T("已提交。提交后考核表不能再修改。", "Submitted. The sheet can no longer be changed.")
            : T("草稿已保存，可稍后继续填写并提交。", "Draft saved; you can come back to finish and submit it.");
        return RedirectToPage(new { month = MonthRow.Month, person = Subject.Id, kind = SheetKind.ToString() });
    }

    /// <summary>The total of the item scores shown, for <paramref name="groupKey"/> or the whole sheet.</summary>
    public int TotalOf(string? groupKey = null)
    {
        var keys = groupKey is null
            ? Policy.Items.Select(i => i.Key)
            : Policy.Groups.Single(g => g.Key == groupKey).Items.Select(i => i.Key);
        // Only scores some level holds count: a typo such as 25 of 20 is not part of the total.
        return keys.Sum(k => Entries.TryGetValue(k, out var e) && FormNumber.TryWhole(e.Score, out var s) && Policy.Items[Policy.IndexOfItem(k)].LevelOf(s) >= 0 ? s : 0);
    }

    /// <summary>The allowed range of <paramref name="item"/>, said when a score lies outside every level (D2, D3).</summary>
    public static string RangeMessage(PolicyItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return T($"「{item.Name.Zh}」的分数须为 0–{item.Max} 之间的整数", $"{item.Name.Get(true)}: the score must be a whole number from 0 to {item.Max}");
    }

    /// <summary>The note of a score on an end point two levels share, with <c>{score}</c> and <c>{range}</c> to fill in (also by sheet.js).</summary>
    public static string SharedMessage =>
        T("{score} 分同属两个档次，已按较高的一档（{range}）计；如属较低的一档，请直接点选。",
          "{score} belongs to two levels; the upper one ({range}) is taken. Choose the lower level if you mean it.");

    /// <summary>
    /// What is said next to an item about its score as shown: out of every level (a problem), or on an end point
    /// two levels share with the upper level taken (D2); null otherwise.
    /// </summary>
    public (string Text, bool Problem)? NoteOf(PolicyItem item, Entry? entry, Func<int, int, string> range)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(range);
        if (entry is null || !FormNumber.TryWhole(entry.Score, out var score))
        {
            return null;
        }

        var level = item.LevelOf(score);
        if (level < 0)
        {
            return (RangeMessage(item), true);
        }

        if (item.IsSharedEndPoint(score) && entry.Level == level)
        {
            var chosen = item.Levels[level];
            return (SharedMessage.Replace("{score}", FormNumber.Text(score), StringComparison.Ordinal).Replace("{range}", range(chosen.Min, chosen.Max), StringComparison.Ordinal), false);
        }

        return null;
    }

    private IActionResult Refuse(UserError e)
    {
        if (e.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }

        if (e.Status == StatusCodes.Status404NotFound)
        {
            return Missing(e);
        }

        // Nothing was saved: show what was typed with the reason, so it can be corrected.
        Error = e.Localized;
        Response.StatusCode = e.Status;
        if (!Editable)
        {
            // E.g. submitted meanwhile in another tab: show what is stored, read-only.
            FillFromStored();
            return Page();
        }

        Comment = Comment?.Trim();
        foreach (var form in Items)
        {
            // A score typed without a level shows the level it belongs to, as the script would have chosen.
            var index = Policy.IndexOfItem(form.Key);
            var level = form.Level ?? (index >= 0 && FormNumber.TryWhole(form.Score?.Trim(), out var typed) ? Policy.Items[index].LevelOf(typed) : -1);
            Entries[form.Key] = new Entry(level < 0 ? null : level, form.Score?.Trim());
        }

        return Page();
    }

    /// <summary>Turns the posted items into the command's input; a blank or non-integer score is a problem here (D3).</summary>
    private (List<SheetItemInput> Inputs, List<(string Zh, string En)> Problems) Read()
    {
        var inputs = new List<SheetItemInput>();
        var problems = new List<(string Zh, string En)>();
        foreach (var form in Items)
        {
            var text = form.Score?.Trim();
            if (form.Level is null && string.IsNullOrEmpty(text))
            {
                // Not answered yet: fine in a draft; SaveSheet names it when submitting.
                continue;
            }

            var index = Policy.IndexOfItem(form.Key);
            var item = index >= 0 ? Policy.Items[index] : null;
            var level = item is not null && form.Level is { } l && l >= 0 && l < item.Levels.Length ? item.Levels[l] : null;
            var name = item?.Name ?? new LocalizedText(form.Key);
            int score;
            if (string.IsNullOrEmpty(text))
            {
                // A level of one value (e.g. 纪律性 5) needs no typing.
                if (level is not null && level.Min == level.Max)
                {
                    score = level.Min;
                }
                else
                {
                    problems.Add(($"「{name.Zh}」请填写分数", $"{name.Get(true)}: enter a score"));
                    continue;
                }
            }
            else if (!FormNumber.TryWhole(text, out score))
            {
                var range = item is null ? string.Empty : $" 0–{item.Max}";
                problems.Add(($"「{name.Zh}」分数须为整数{range}，实际为“{text}”", $"{name.Get(true)}: the score must be a whole number{range}, got \"{text}\""));
                continue;
            }

            // No level chosen: SaveSheet takes the level that holds the score (PolicyItem.LevelOf).
            inputs.Add(new SheetItemInput(form.Key, form.Level ?? -1, score));
        }

        return (inputs, problems);
    }

    private void FillFromStored()
    {
        if (Sheet is null)
        {
            return;
        }

        Comment = Sheet.Comment;
        Version = Sheet.Version;
        foreach (var item in Sheet.Items)
        {
            Entries[item.ItemKey] = new Entry(item.LevelIndex, FormNumber.Text(item.Score));
        }
    }

    /// <returns>A refusal, or null when the viewer may see the sheet; then everything the page shows is loaded.</returns>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (!TryKind(Kind, out var kind))
        {
            return Missing(new UserError($"考核表类型“{Kind}”无效，应为 Self 或 Supervisor", $"sheet kind \"{Kind}\" is not valid; expected Self or Supervisor", 404));
        }

        AppraisalMonth month;
        (Person Person, SheetRelation Relation) subject;
        try
        {
            month = await MonthLookup.GetAsync(db, Month, ct);

            // D19 first: nothing about the person is read, not even whether they exist, unless the viewer may see them.
            subject = await sheetAccess.SubjectAsync(Actor.From(User), month, Person, kind, ct);
        }
        catch (UserError e) when (e.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        catch (UserError e)
        {
            return Missing(e);
        }

        var (person, relation) = subject;
        var ym = YearMonth.Parse(month.Month);
        var confirmed = month.Status == MonthStatus.Confirmed;
        MonthRow = month;
        Subject = person;
        SheetKind = kind;
        Policy = await policies.InForceAsync(ym, ct);

        var sheets = await db.Sheets.AsNoTracking().Include(s => s.Items)
            .Where(s => s.MonthId == month.Id && s.PersonId == person.Id).ToListAsync(ct);
        var stored = sheets.FirstOrDefault(s => s.Kind == kind);
        var rights = SheetAccess.Decide(relation, kind, appraised: true, month.Status, SheetAccess.StateOf(stored));
        CanEdit = rights.Author;

        // A draft is still its author's: others see that it exists, not what it says.
        if (stored is not null && !rights.ReadContent)
        {
            DraftOfSomeoneElse = true;
            stored = null;
        }

        Sheet = stored;
        if (kind == SheetKind.Supervisor)
        {
            SelfBeside = sheets.FirstOrDefault(s => s.Kind == SheetKind.Self && s.SubmittedAt is not null);
        }

        WindowOpens = WindowRules.Opens(Policy, ym);
        Deadline = WindowRules.Deadline(Policy, ym);
        ExtendedUntil = await WindowRules.ExtendedUntilAsync(db, month.Id, person.Id, ct);
        var today = clock.Today;
        WindowClosed = today > Deadline && !(ExtendedUntil is { } until && until >= today);
        Editable = rights.Edit && !WindowClosed;

        // D20: the month's facts and the previous month's supervisor scores inform the assessor (and the employee).
        Facts = await db.Facts.AsNoTracking().FirstOrDefaultAsync(f => f.MonthId == month.Id && f.PersonId == person.Id, ct);
        var previous = ym.Previous.ToString();
        var previousMonth = await MonthLookup.FindAsync(db, ym.Previous, ct);
        if (previousMonth is not null && (relation != SheetRelation.Self || previousMonth.Status == MonthStatus.Confirmed))
        {
            PreviousMonth = previous;
            var prior = await db.Sheets.AsNoTracking().Include(s => s.Items)
                .FirstOrDefaultAsync(s => s.MonthId == previousMonth.Id && s.PersonId == person.Id && s.Kind == SheetKind.Supervisor && s.SubmittedAt != null, ct);
            PreviousScores = prior?.Items.ToDictionary(i => i.ItemKey, i => i.Score, StringComparer.Ordinal);
        }

        var other = kind == SheetKind.Self ? SheetKind.Supervisor : SheetKind.Self;
        var canViewOther = SheetAccess.Decide(relation, other, appraised: true, month.Status, SheetState.Submitted).See;
        OtherSheetUrl = canViewOther ? $"/Sheets/Edit?month={month.Month}&person={person.Id}&kind={other}" : null;
        ShowTeamLink = relation is SheetRelation.Supervisor or SheetRelation.Everyone;
        return null;
    }

    /// <summary>No such month, kind or sheet: the page says which and what to do, with 404.</summary>
    private PageResult Missing(UserError error)
    {
        NotFoundMessage = error.Localized;
        var page = Page();
        page.StatusCode = StatusCodes.Status404NotFound;
        return page;
    }

    private static bool TryKind(string? text, out SheetKind kind)
    {
        // Only the two names: Enum.TryParse would also take "7" or "Self,Supervisor".
        if (string.Equals(text, nameof(SheetKind.Self), StringComparison.OrdinalIgnoreCase))
        {
            kind = SheetKind.Self;
            return true;
        }

        if (string.Equals(text, nameof(SheetKind.Supervisor), StringComparison.OrdinalIgnoreCase))
        {
            kind = SheetKind.Supervisor;
            return true;
        }

        kind = default;
        return false;
    }
}
