using System.Text.Encodings.Web;
using System.Text.Json;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>
/// Everything the product holds about one person (D25, PIPL Art. 45), as one JSON file. Times are UTC with
/// their offset, amounts plain JSON numbers, dates yyyy-MM-dd. What the process has not published to the
/// person yet stays out until it is: the supervisor's sheet and the results (with pay) of a month the general
/// manager has not confirmed (D16). Nothing of another person is in it: an audit entry the person wrote about
/// someone else keeps only what was done and when. The e-mail messages addressed to the person's account (the
/// reminders' outbox, issue 9) are given whole, as sent or to be sent to them: a supervisor's reminder names the team
/// members whose sheets were due, and a notice to HR the person who appealed — what the reader received or will.
/// Also in it: the teams the person leads, and the months and policy versions the person opened, confirmed, drafted or
/// approved (records naming them as the one who did it).
/// </summary>
public sealed record PersonalDataFile(
    DateTimeOffset ExportedAt,
    string ExportedBy,
    PersonalRecord Person,
    PersonalAccount? Account,
    List<PersonalSheet> Sheets,
    List<PersonalFacts> Facts,
    List<PersonalResult> Results,
    List<PersonalAdjustment> PayAdjustments,
    List<PersonalExtension> WindowExtensions,
    List<PersonalTalk> FeedbackTalks,
    List<PersonalAppeal> Appeals,
    List<PersonalAcknowledgement> Acknowledgements,
    List<PersonalReview> FlagReviews,
    List<PersonalAuditEntry> AuditEntries,
    List<string> SupervisedTeams,
    List<PersonalMessage> Messages,
    List<PersonalAuthorship> Authored);

public sealed record PersonalRecord(int Id, string EmployeeNo, string Name, string Role, string? Team, DateOnly HireDate, DateOnly? LeaveDate, bool Active);

/// <summary>The sign-in account without anything secret (no password hash, no security stamp).</summary>
public sealed record PersonalAccount(string? UserName, List<string> Roles, string? Culture, bool LockoutEnabled, DateTimeOffset? LockoutEnd, int FailedSignIns,
    string? Email, bool EmailConfirmed, string? PhoneNumber);

/// <summary>An e-mail of the reminders' outbox addressed to the person's account (issue 9), with where it is on its way.</summary>
public sealed record PersonalMessage(string Kind, string Month, string To, string Subject, string Body, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// A record naming the person as the one who did something: <paramref name="What"/> is month.open, month.confirm,
/// policy.create or policy.approve; <paramref name="Of"/> the month (YYYY-MM) or the policy version.
/// </summary>
public sealed record PersonalAuthorship(string What, string Of, DateTimeOffset? At);

public sealed record PersonalSheet(string Month, string Kind, string? Comment, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, string? SubmittedBy, List<PersonalSheetItem> Items);

public sealed record PersonalSheetItem(string Item, int LevelIndex, int Score, string? Comment);

public sealed record PersonalFacts(string Month, decimal SalesPlan, decimal SalesActual, int AbsentDays, bool? EligibilityOverride, string? OverrideReason,
    DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record PersonalResult(string Month, string PolicyVersion, bool Eligible, int? SelfTotal, int SupervisorTotal, decimal? Score, string? Grade,
    string Level, int? Rank, int? SalesRank, string[] Flags, int AbsentDaysInWindow, DateTimeOffset ComputedAt, PersonalPayslip Payslip);

/// <summary>The pay components of the month (工资条, 第十条).</summary>
public sealed record PersonalPayslip(decimal SalesPlan, decimal SalesActual, decimal PositionSalary, decimal CommissionRate, decimal Commission, decimal Bonus,
    decimal OtherPay, decimal TotalPay);

public sealed record PersonalAdjustment(string Month, decimal Amount, string Reason, string By, DateTimeOffset At);

public sealed record PersonalExtension(string Month, DateOnly Until, string Reason, string By, DateTimeOffset At);

public sealed record PersonalTalk(string Month, DateOnly Date, string Notes, string By);

public sealed record PersonalAppeal(string Month, string Reason, DateTimeOffset At, string Status, string? Decision, string? DecidedBy, DateTimeOffset? DecidedAt);

public sealed record PersonalAcknowledgement(string Month, DateTimeOffset At);

public sealed record PersonalReview(string Month, string Flag, string? Decision, string? DecidedBy, DateTimeOffset? DecidedAt, List<PersonalReviewStep> Steps);

public sealed record PersonalReviewStep(string Kind, DateOnly Date, string? Note);

/// <summary>
/// An audit entry about the person or by them. <paramref name="AboutThisPerson"/> false: one they wrote about
/// someone else or about nobody in particular, of which only the time, action and month are given.
/// </summary>
public sealed record PersonalAuditEntry(long Id, DateTimeOffset At, string User, string Action, string ActionZh, string ActionEn, string? Month,
    bool AboutThisPerson, string? Detail, IReadOnlyList<AuditChange>? Changes);

/// <summary>
/// Reads <see cref="PersonalDataFile"/> (D25): a person their own; HR and the general manager anyone's, and
/// that download is audited. Everyone else is refused (D19).
/// </summary>
public sealed class ReadPersonalData(AppDbContext db, AuditLog audit, CompanyClock clock)
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // A file for people to read: Chinese as it is, not \uXXXX (it is never embedded in a page).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>HR and the general manager download anyone's data (audited); everyone else only their own (D19, D25).</summary>
    public static bool MayReadAnyone(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.SeesEveryone;
    }

    /// <summary>Refuses (403) a download of another person's data by anyone but HR and the general manager.</summary>
    public static void EnsureMayRead(Actor actor, int? personId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if ((personId is null || actor.PersonId != personId) && !MayReadAnyone(actor))
        {
            throw UserError.Forbidden();
        }
    }

    public async Task<PersonalDataFile> ExecuteAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        EnsureMayRead(actor, personId);
        var self = actor.PersonId == personId;

        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new PersonalRecord(p.Id, p.EmployeeNo, p.Name, p.Role, p.Team != null ? p.Team.Name : null, p.HireDate, p.LeaveDate, p.Active))
            .FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();
        if (!self)
        {
            audit.Record(actor.UserName, AuditWords.PersonalDataDownload, personId: personId, detail: person.EmployeeNo);
            await db.SaveChangesAsync(ct);
        }

        var months = await db.Months.AsNoTracking().ToDictionaryAsync(m => m.Id, m => (m.Month, Published: m.Status == MonthStatus.Confirmed), ct);
        string MonthOf(int id) => months[id].Month;
        bool Published(int id) => months[id].Published;

        var users = await db.Users.AsNoTracking().Where(u => u.PersonId == personId).ToListAsync(ct);
        var userIds = users.Select(u => u.Id).ToList();
        var roles = await db.UserRoles.AsNoTracking().Where(r => userIds.Contains(r.UserId)).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        var account = users.Select(u => new PersonalAccount(u.UserName, roles, u.Culture, u.LockoutEnabled, u.LockoutEnd, u.AccessFailedCount,
            u.Email, u.EmailConfirmed, u.PhoneNumber)).FirstOrDefault();
        var messages = (await db.Outbox.AsNoTracking().Where(m => userIds.Contains(m.UserId)).OrderBy(m => m.Id).ToListAsync(ct))
            .Select(m => new PersonalMessage(m.Kind, m.Month, m.To, m.Subject, m.Body, m.Status.ToString().ToLowerInvariant(), m.Attempts,
                Utc(m.CreatedAt), Utc(m.SentAt), m.LastError))
            .ToList();
        var supervised = await db.Teams.AsNoTracking().Where(t => t.SupervisorId == personId).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct);

        var sheets = (await db.Sheets.AsNoTracking().Include(s => s.Items).Where(s => s.PersonId == personId).ToListAsync(ct))
            .Where(s => s.Kind == SheetKind.Self || (s.SubmittedAt != null && Published(s.MonthId)))
            .OrderBy(s => MonthOf(s.MonthId), StringComparer.Ordinal).ThenBy(s => s.Kind)
            .Select(s => new PersonalSheet(MonthOf(s.MonthId), s.Kind == SheetKind.Self ? "self" : "supervisor", s.Comment, Utc(s.UpdatedAt), Utc(s.SubmittedAt),
                s.SubmittedBy, s.Items.OrderBy(i => i.ItemKey, StringComparer.Ordinal).Select(i => new PersonalSheetItem(i.ItemKey, i.LevelIndex, i.Score, i.Comment)).ToList()))
            .ToList();
        var facts = (await db.Facts.AsNoTracking().Where(f => f.PersonId == personId).ToListAsync(ct))
            .Select(f => new PersonalFacts(MonthOf(f.MonthId), f.SalesPlan, f.SalesActual, f.AbsentDays, f.EligibilityOverride, f.OverrideReason, Utc(f.UpdatedAt), f.UpdatedBy))
            .OrderBy(f => f.Month, StringComparer.Ordinal).ToList();
        var results = (await db.Results.AsNoTracking().Where(r => r.PersonId == personId).ToListAsync(ct))
            .Where(r => Published(r.MonthId))
            .Select(r => new PersonalResult(MonthOf(r.MonthId), r.PolicyVersion, r.Eligible, r.SelfTotal, r.SupervisorTotal, r.Score, r.GradeKey, r.LevelKey, r.Rank,
                r.SalesRank, [.. Appraisal.Core.Results.ResultFlagNames.Of(r.Flags)], r.AbsentDaysInWindow, Utc(r.ComputedAt),
                new PersonalPayslip(r.SalesPlan, r.SalesActual, r.PositionSalary, r.CommissionRate, r.Commission, r.Bonus, r.OtherPay, r.TotalPay)))
            .OrderBy(r => r.Month, StringComparer.Ordinal).ToList();
        var adjustments = (await db.PayAdjustments.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.Id).ToListAsync(ct))
            .Select(a => new PersonalAdjustment(MonthOf(a.MonthId), a.Amount, a.Reason, a.By, Utc(a.At))).ToList();
        var extensions = (await db.WindowExtensions.AsNoTracking().Where(e => e.PersonId == personId).OrderBy(e => e.Id).ToListAsync(ct))
            .Select(e => new PersonalExtension(MonthOf(e.MonthId), e.Until, e.Reason, e.By, Utc(e.At))).ToList();
        var talks = (await db.FeedbackTalks.AsNoTracking().Where(t => t.PersonId == personId).OrderBy(t => t.Id).ToListAsync(ct))
            .Select(t => new PersonalTalk(MonthOf(t.MonthId), t.Date, t.Notes, t.By)).ToList();
        var appeals = (await db.Appeals.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.Id).ToListAsync(ct))
            .Select(a => new PersonalAppeal(MonthOf(a.MonthId), a.Reason, Utc(a.At), AppealDto.StatusName(a.Status), a.Decision, a.DecidedBy, Utc(a.DecidedAt))).ToList();
        var acknowledgements = (await db.Acknowledgements.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.Id).ToListAsync(ct))
            .Select(a => new PersonalAcknowledgement(MonthOf(a.MonthId), Utc(a.At))).ToList();
        var reviews = (await db.FlagReviews.AsNoTracking().Include(r => r.Steps).Where(r => r.PersonId == personId).OrderBy(r => r.Id).ToListAsync(ct))
            .Select(r => new PersonalReview(MonthOf(r.MonthId), r.Flag, r.Decision, r.DecidedBy, Utc(r.DecidedAt),
                r.Steps.OrderBy(s => s.Id).Select(s => new PersonalReviewStep(s.Kind, s.Date, s.Note)).ToList()))
            .ToList();

        var userNames = users.Select(u => u.UserName!).ToList();
        var entries = await db.Audit.AsNoTracking().Where(a => a.PersonId == personId || userNames.Contains(a.User)).OrderBy(a => a.Id).ToListAsync(ct);
        var auditEntries = entries.Select(a =>
        {
            var about = a.PersonId == personId;
            var (zh, en) = AuditWords.ActionBoth(a.Action);
            return new PersonalAuditEntry(a.Id, Utc(a.At), a.User, a.Action, zh, en, a.Month, about, about ? a.Detail : null, about ? AuditChange.FromJson(a.Changes) : null);
        }).ToList();

        return new PersonalDataFile(Utc(clock.UtcNow), actor.UserName, person, account, sheets, facts, results, adjustments, extensions, talks, appeals,
            acknowledgements, reviews, auditEntries, supervised, messages, await AuthoredAsync(userNames, ct));
    }

    /// <summary>The months and policy versions whose rows name one of <paramref name="userNames"/> as who opened, confirmed, drafted or approved them.</summary>
    private async Task<List<PersonalAuthorship>> AuthoredAsync(List<string> userNames, CancellationToken ct)
    {
        var months = await db.Months.AsNoTracking()
            .Where(m => (m.OpenedBy != null && userNames.Contains(m.OpenedBy)) || (m.ConfirmedBy != null && userNames.Contains(m.ConfirmedBy)))
            .Select(m => new { m.Month, m.OpenedBy, m.OpenedAt, m.ConfirmedBy, m.ConfirmedAt }).ToListAsync(ct);
        var policies = await db.PolicyVersions.AsNoTracking()
            .Where(p => userNames.Contains(p.CreatedBy) || (p.ApprovedBy != null && userNames.Contains(p.ApprovedBy)))
            .Select(p => new { p.VersionName, p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt }).ToListAsync(ct);
        bool Mine(string? user) => user is not null && userNames.Contains(user);
        return
        [
            .. months.Where(m => Mine(m.OpenedBy)).Select(m => new PersonalAuthorship("month.open", m.Month, Utc(m.OpenedAt))),
            .. months.Where(m => Mine(m.ConfirmedBy)).Select(m => new PersonalAuthorship("month.confirm", m.Month, Utc(m.ConfirmedAt))),
            .. policies.Where(p => Mine(p.CreatedBy)).Select(p => new PersonalAuthorship("policy.create", p.VersionName, Utc(p.CreatedAt))),
            .. policies.Where(p => Mine(p.ApprovedBy)).Select(p => new PersonalAuthorship("policy.approve", p.VersionName, Utc(p.ApprovedAt))),
        ];
    }

    /// <summary>The refusal for an account without a person (the administrator): there is nothing to download.</summary>
    public static UserError NoPerson() => new("您的账户未关联人员，没有个人考核数据", "your account is linked to no person, so there is no personal data", 404);

    /// <summary>The file as downloaded: indented UTF-8 JSON without a byte-order mark.</summary>
    public static byte[] ToUtf8(PersonalDataFile file) => JsonSerializer.SerializeToUtf8Bytes(file, FileJson);

    /// <summary>The download's file name, e.g. personal-data-E001-2026-12-01.json.</summary>
    public static string FileName(PersonalDataFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var safe = new string(file.Person.EmployeeNo.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return $"personal-data-{safe}-{file.ExportedAt:yyyy-MM-dd}.json";
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? at) => at is { } v ? Utc(v) : null;
}
