using Appraisal.App.People;

namespace Appraisal.App.Months;

/// <summary>
/// Who may read and who may change a month's facts (D16, D19): the sales plan and actual, absence and eligibility
/// overrides, pay adjustments (其他) and window extensions. They are everyone's sales and pay, so HR and the general
/// manager read them; HR alone enters them, and only while the month is open. The one statement of this rule: the
/// facts page, <c>GET/PUT /api/months/{month}/facts</c>, <see cref="ReadFacts"/>, <see cref="SaveFacts"/> and the
/// per-person entries (<see cref="PersonEntry"/>) all ask here.
/// </summary>
public static class FactsAccess
{
    /// <summary>HR and the general manager read a month's facts (each read is audited as a read of others' pay).</summary>
    public static bool MayRead(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.SeesEveryone;
    }

    /// <summary>HR enters facts; whether the month still takes them is <see cref="MayEdit(Actor, AppraisalMonth)"/>.</summary>
    public static bool MayEnter(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsHr;
    }

    /// <summary>True when <paramref name="actor"/> may change <paramref name="month"/>'s facts now: HR, the month open.</summary>
    public static bool MayEdit(Actor actor, AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return MayEnter(actor) && month.Status == MonthStatus.Open;
    }

    /// <summary>Refuses (403) anyone who may not read facts.</summary>
    public static void EnsureRead(Actor actor)
    {
        if (!MayRead(actor))
        {
            throw UserError.Forbidden();
        }
    }

    /// <summary>Refuses (403) anyone but HR; the commands then refuse a confirmed month (409, <see cref="MonthRules.EnsureOpen"/>).</summary>
    public static void EnsureEnter(Actor actor)
    {
        if (!MayEnter(actor))
        {
            throw UserError.Forbidden();
        }
    }
}
