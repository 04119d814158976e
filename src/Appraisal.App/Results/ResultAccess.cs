using Appraisal.App.Months;
using Appraisal.App.People;

namespace Appraisal.App.Results;

/// <summary>
/// Who may see a month's results, in one place for the month overview, the results API, a person's history,
/// the payslip and the decision lists (D16, D19):
/// <list type="bullet">
/// <item>Results are published by the general manager's confirmation (总经理确认, D16). Before it only HR and the
/// general manager see them, to check and confirm; supervisors and agents see nothing of an open month.</item>
/// <item>Once published, each reader sees the people D19 lets them see (<see cref="Access"/>): an employee
/// themself, a supervisor their team, HR and the general manager everyone.</item>
/// <item>The overview ranks people by name, so it is for HR, the general manager and supervisors; an employee
/// gets their own rank on their payslip and history. The company-wide lists (decision lists, HR reviews,
/// appeals) are HR's and the general manager's.</item>
/// </list>
/// </summary>
public sealed class ResultAccess(Access access)
{
    /// <summary>The rule of D16 over plain values: does this reader see results of a month in this state at all.</summary>
    public static bool SeesMonth(bool seesEveryone, MonthStatus status) => seesEveryone || status == MonthStatus.Confirmed;

    public static bool SeesMonth(Actor actor, AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(month);
        return SeesMonth(actor.SeesEveryone, month.Status);
    }

    /// <summary>Whose results of <paramref name="month"/> the reader sees: null for everyone, else the ids (empty before publication).</summary>
    public async Task<HashSet<int>?> VisibleAsync(Actor actor, AppraisalMonth month, CancellationToken ct = default) =>
        SeesMonth(actor, month) ? await access.VisiblePeopleAsync(actor, ct) : [];

    /// <summary>403 unless the reader may see <paramref name="personId"/> at all (D19); checked before the person is read.</summary>
    public async Task EnsurePersonAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        if (!await access.CanSeeAsync(actor, personId, ct))
        {
            throw UserError.Forbidden();
        }
    }

    /// <summary>403 unless the reader may see <paramref name="personId"/>'s result of <paramref name="month"/> (D19, then D16).</summary>
    public async Task EnsureAsync(Actor actor, AppraisalMonth month, int personId, CancellationToken ct = default)
    {
        await EnsurePersonAsync(actor, personId, ct);
        if (!SeesMonth(actor, month))
        {
            throw NotPublished(month);
        }
    }

    /// <summary>The month overview ranks people by name: HR, the general manager and supervisors (their team).</summary>
    public static bool OpensOverview(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.SeesEveryone || actor.IsSupervisor;
    }

    public static void EnsureOverview(Actor actor)
    {
        if (!OpensOverview(actor))
        {
            throw UserError.Forbidden();
        }
    }

    /// <summary>The company-wide lists (decision lists D21, HR reviews D13, appeals D16): HR and the general manager.</summary>
    public static void EnsureCompanyWide(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.SeesEveryone)
        {
            throw UserError.Forbidden();
        }
    }

    /// <summary>Only the person themself acknowledges or appeals their result (D16); returns their id.</summary>
    public static int EnsureOwn(Actor actor, int? personId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.PersonId is { } me && (personId is null || personId == me) ? me : throw UserError.Forbidden();
    }

    public static UserError NotPublished(AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return new UserError($"{month.Month} 的结果尚未经总经理确认发布；发布后才能查看", $"the {month.Month} results have not been confirmed and published yet; they can be seen once published", 403);
    }
}
