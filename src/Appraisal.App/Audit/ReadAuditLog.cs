using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Audit;

/// <summary>
/// What HR or the general manager looks for in the audit log (D25). Every part is optional and they combine.
/// </summary>
/// <param name="Who">The user who acted: part of the account name, or the person's name or employee number.</param>
/// <param name="What">One action key of <see cref="AuditWords.Actions"/>.</param>
/// <param name="FromUtc">Entries at or after this instant.</param>
/// <param name="ToUtc">Entries before this instant.</param>
/// <param name="Person">The person the entry is about: employee number, or part of the name.</param>
/// <param name="Month">The month the entry is about, YYYY-MM.</param>
/// <param name="Before">The <see cref="AuditPage.Next"/> of the page before: only entries older than it.</param>
/// <param name="Limit">Entries per page, 1–<see cref="ReadAuditLog.MaxLimit"/>.</param>
public sealed record AuditQuery(
    string? Who = null,
    string? What = null,
    DateTime? FromUtc = null,
    DateTime? ToUtc = null,
    string? Person = null,
    string? Month = null,
    string? Before = null,
    int Limit = ReadAuditLog.DefaultLimit);

/// <summary>One entry as the search shows it, with the names of the acting user's person and of the person it is about.</summary>
public sealed record AuditRow(
    long Id,
    DateTime At,
    string User,
    string? UserPersonName,
    string Action,
    string? Month,
    int? PersonId,
    string? EmployeeNo,
    string? PersonName,
    string? Detail,
    IReadOnlyList<AuditChange> Changes);

/// <summary>A page of the search, newest first; <paramref name="Next"/> continues with older entries (null at the end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, string? Next);

/// <summary>
/// Searches the append-only audit log (D25, D19): HR and the general manager only. Filters run in SQL over
/// the log's indexes and pages are keyset pages (newest first, continued from the last entry shown), so
/// that a page costs the same on a log of millions of rows as on a small one. Reading never changes it.
/// </summary>
public sealed class ReadAuditLog(AppDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Only HR and the general manager read the whole log (D25); everyone else gets their own data by <see cref="ReadPersonalData"/>.</summary>
    public static void EnsureMayRead(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.SeesEveryone)
        {
            throw UserError.Forbidden();
        }
    }

    public async Task<AuditPage> ExecuteAsync(Actor actor, AuditQuery query, CancellationToken ct = default)
    {
        EnsureMayRead(actor);
        ArgumentNullException.ThrowIfNull(query);
        var (after, errors) = Check(query);
        if (errors.Count > 0)
        {
            throw new UserError("查询条件有误：" + string.Join("；", errors.Select(e => e.Zh)), "the search is not valid: " + string.Join("; ", errors.Select(e => e.En)))
            {
                Errors = errors,
            };
        }

        var q = db.Audit.AsNoTracking();
        if (Text(query.Who) is { } who)
        {
            var users = await db.Users.AsNoTracking()
                .Where(u => u.UserName!.Contains(who) || (u.Person != null && (u.Person.EmployeeNo == who || u.Person.Name.Contains(who))))
                .Select(u => u.UserName!).ToListAsync(ct);
            users.Add(who);
            q = q.Where(a => users.Contains(a.User));
        }

        if (Text(query.What) is { } what)
        {
            q = q.Where(a => a.Action == what);
        }

        if (query.FromUtc is { } from)
        {
            var f = DateTime.SpecifyKind(from, DateTimeKind.Utc);
            q = q.Where(a => a.At >= f);
        }

        if (query.ToUtc is { } to)
        {
            var t = DateTime.SpecifyKind(to, DateTimeKind.Utc);
            q = q.Where(a => a.At < t);
        }

        if (Text(query.Person) is { } person)
        {
            var ids = await db.People.AsNoTracking().Where(p => p.EmployeeNo == person || p.Name.Contains(person)).Select(p => p.Id).ToListAsync(ct);
            q = q.Where(a => a.PersonId != null && ids.Contains(a.PersonId.Value));
        }

        if (Text(query.Month) is { } month)
        {
            var key = YearMonth.Parse(month).ToString();
            q = q.Where(a => a.Month == key);
        }

        if (after is var (at, id))
        {
            // The first part bounds the index range on At; the second breaks ties of the same instant by id.
            q = q.Where(a => a.At <= at && (a.At < at || a.Id < id));
        }

        var entries = await q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(query.Limit + 1).ToListAsync(ct);
        var more = entries.Count > query.Limit;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        var rows = await NameAsync(db, entries, ct);
        return new AuditPage(rows, more ? Cursor(entries[^1]) : null);
    }

    /// <summary>The entries with the names of who acted and whom they are about (two small lookups for the page).</summary>
    internal static async Task<List<AuditRow>> NameAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var personIds = entries.Where(e => e.PersonId != null).Select(e => e.PersonId!.Value).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => (p.EmployeeNo, p.Name), ct);
        var userNames = entries.Select(e => e.User).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userNames.Contains(u.UserName!) && u.Person != null)
            .Select(u => new { u.UserName, u.Person!.Name }).ToDictionaryAsync(u => u.UserName!, u => u.Name, StringComparer.Ordinal, ct);
        return entries.Select(e =>
        {
            var about = e.PersonId is { } pid && people.TryGetValue(pid, out var p) ? p : default;
            return new AuditRow(e.Id, e.At, e.User, users.GetValueOrDefault(e.User), e.Action, e.Month, e.PersonId, about.EmployeeNo, about.Name,
                e.Detail, AuditChange.FromJson(e.Changes));
        }).ToList();
    }

    private static ((DateTime At, long Id)? After, List<ApiError> Errors) Check(AuditQuery query)
    {
        var errors = new List<ApiError>();
        if (Text(query.What) is { } what && !AuditWords.IsAction(what))
        {
            errors.Add(new ApiError("what", $"操作“{what}”不在可选范围内，请从列表中选择", $"action \"{what}\" is not one of the choices; pick one from the list"));
        }

        if (Text(query.Month) is { } month && !YearMonth.TryParse(month, out _))
        {
            errors.Add(new ApiError("month", $"月份“{month}”无效，应为 YYYY-MM，如 2026-03", $"month \"{month}\" is not valid; expected YYYY-MM, e.g. 2026-03"));
        }

        if (query.FromUtc is { } from && query.ToUtc is { } to && from > to)
        {
            errors.Add(new ApiError("from", "起始时间晚于截止时间，请调换或修改", "the start is after the end; swap or correct them"));
        }

        if (query.Limit is < 1 or > MaxLimit)
        {
            errors.Add(new ApiError("limit", $"每页条数须为 1–{MaxLimit}", $"entries per page must be 1–{MaxLimit}"));
        }

        foreach (var (field, value) in new[] { ("who", query.Who), ("person", query.Person) })
        {
            if (value is { Length: > 100 })
            {
                errors.Add(new ApiError(field, "查询文字最多 100 个字符", "search text has at most 100 characters"));
            }
        }

        (DateTime, long)? after = null;
        if (Text(query.Before) is { } before)
        {
            after = ParseCursor(before);
            if (after is null)
            {
                errors.Add(new ApiError("before", "翻页位置无效，请从第一页重新查询", "the page position is not valid; search again from the first page"));
            }
        }

        return (after, errors);
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The position after <paramref name="last"/>: its time (ticks) and id, opaque to the reader.</summary>
    private static string Cursor(AuditEntry last) =>
        string.Create(CultureInfo.InvariantCulture, $"{last.At.Ticks}-{last.Id}");

    private static (DateTime, long)? ParseCursor(string text)
    {
        var parts = text.Split('-');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (new DateTime(ticks, DateTimeKind.Utc), id)
            : null;
    }
}
