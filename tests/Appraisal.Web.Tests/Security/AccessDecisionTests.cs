using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The access decisions themselves, over plain values: <see cref="SheetAccess.Decide"/> (D16, D19, D22),
/// <see cref="ResultAccess"/> (D16) and <see cref="PayAccess.MustAudit"/> (D19). Each row is written out by
/// hand from the decisions, not computed by the rule under test.
/// </summary>
public sealed class AccessDecisionTests
{
    private const SheetRelation None = SheetRelation.None;
    private const SheetRelation Self = SheetRelation.Self;
    private const SheetRelation Sup = SheetRelation.Supervisor;
    private const SheetRelation All = SheetRelation.Everyone;
    private const SheetKind S = SheetKind.Self;
    private const SheetKind M = SheetKind.Supervisor;
    private const MonthStatus Open = MonthStatus.Open;
    private const MonthStatus Done = MonthStatus.Confirmed;
    private const SheetState No = SheetState.None;
    private const SheetState Draft = SheetState.Draft;
    private const SheetState Sub = SheetState.Submitted;

    /// <summary>relation, kind, appraised, month, sheet → see, author, read content, edit.</summary>
    public static TheoryData<SheetRelation, SheetKind, bool, MonthStatus, SheetState, bool, bool, bool, bool> Sheets => new()
    {
        // The employee: writes the self-assessment while the month is open and it is not submitted.
        { Self, S, true, Open, No, true, true, true, true },
        { Self, S, true, Open, Draft, true, true, true, true },
        { Self, S, true, Open, Sub, true, true, true, false },
        { Self, S, true, Done, Draft, true, true, true, false },

        // The employee and the supervisor's assessment: nothing before publication, read-only after (D16).
        { Self, M, true, Open, Sub, false, false, false, false },
        { Self, M, true, Done, Sub, true, false, true, false },
        { Self, M, true, Done, Draft, true, false, false, false },

        // The team's supervisor: writes the assessment, reads the submitted self-assessment, never its draft.
        { Sup, M, true, Open, No, true, true, true, true },
        { Sup, M, true, Open, Sub, true, true, true, false },
        { Sup, M, true, Done, Draft, true, true, true, false },
        { Sup, S, true, Open, Draft, true, false, false, false },
        { Sup, S, true, Open, Sub, true, false, true, false },

        // HR and the general manager read submitted sheets of everyone, write none.
        { All, S, true, Open, Sub, true, false, true, false },
        { All, M, true, Open, Sub, true, false, true, false },
        { All, M, true, Open, Draft, true, false, false, false },
        { All, S, true, Done, Sub, true, false, true, false },

        // Anyone else: nothing.
        { None, S, true, Open, Sub, false, false, false, false },
        { None, M, true, Done, Sub, false, false, false, false },

        // D22: someone who is not an agent has no sheet at all, whoever asks (the supervisor himself included).
        { Self, S, false, Open, No, false, false, false, false },
        { Self, M, false, Open, No, false, false, false, false },
        { Sup, M, false, Open, No, false, false, false, false },
        { All, S, false, Done, Sub, false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(Sheets))]
    public void Sheet_rights_follow_the_table(SheetRelation relation, SheetKind kind, bool appraised, MonthStatus month, SheetState sheet,
        bool see, bool author, bool read, bool edit) =>
        Assert.Equal(new SheetRights(see, author, read, edit), SheetAccess.Decide(relation, kind, appraised, month, sheet));

    [Fact]
    public void Nobody_is_ever_the_author_of_their_own_supervisor_assessment()
    {
        foreach (var appraised in new[] { true, false })
        {
            foreach (var month in Enum.GetValues<MonthStatus>())
            {
                foreach (var sheet in Enum.GetValues<SheetState>())
                {
                    Assert.False(SheetAccess.Decide(Self, M, appraised, month, sheet).Author);
                }
            }
        }
    }

    [Theory]
    [InlineData(true, MonthStatus.Open, true)]
    [InlineData(true, MonthStatus.Confirmed, true)]
    [InlineData(false, MonthStatus.Open, false)]
    [InlineData(false, MonthStatus.Confirmed, true)]
    public void Results_of_a_month_reach_only_HR_and_the_GM_before_confirmation(bool seesEveryone, MonthStatus status, bool sees) =>
        Assert.Equal(sees, ResultAccess.SeesMonth(seesEveryone, status));

    [Theory]
    [InlineData(Roles.Agent, false, false)]
    [InlineData(Roles.Supervisor, true, false)]
    [InlineData(Roles.Hr, true, true)]
    [InlineData(Roles.GeneralManager, true, true)]
    [InlineData(Roles.Admin, false, false)]
    public void The_overview_and_the_company_wide_lists_by_role(string role, bool overview, bool companyWide)
    {
        var actor = new Actor("u", 1, new HashSet<string> { role });
        Assert.Equal(overview, ResultAccess.OpensOverview(actor));
        Assert.Equal(companyWide, Record.Exception(() => ResultAccess.EnsureCompanyWide(actor)) is null);
    }

    [Theory]
    [InlineData(7, null, true)]
    [InlineData(7, 7, true)]
    [InlineData(7, 8, false)]
    [InlineData(null, null, false)]
    [InlineData(null, 7, false)]
    public void Only_the_person_acknowledges_or_appeals_their_result(int? me, int? person, bool allowed)
    {
        var actor = new Actor("u", me, new HashSet<string> { Roles.Agent });
        var refusal = Record.Exception(() => ResultAccess.EnsureOwn(actor, person));
        Assert.Equal(allowed, refusal is null);
        Assert.True(allowed || refusal is UserError { Status: 403 });
    }

    [Theory]
    [InlineData(5, new[] { 5 }, false)]
    [InlineData(5, new int[0], false)]
    [InlineData(5, new[] { 5, 6 }, true)]
    [InlineData(5, new[] { 6 }, true)]
    [InlineData(null, new[] { 6 }, true)]
    public void A_read_of_pay_is_audited_when_it_includes_someone_else(int? me, int[] people, bool audited) =>
        Assert.Equal(audited, PayAccess.MustAudit(new Actor("u", me, new HashSet<string>()), people));
}
