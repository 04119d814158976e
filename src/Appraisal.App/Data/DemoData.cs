using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.AspNetCore.Identity;

namespace Appraisal.App.Data;

/// <summary>
/// The demo company: a general manager, HR, two supervisors and 12 agents; three past months
/// confirmed; the month being appraised (<see cref="WindowRules.AppraisedMonth"/>) open with everything entered
/// except agent01's own month, which is left for the person trying the product to take from self-assessment to
/// acknowledgement. It follows the calendar of the day it is created (D23): every stored time is at or before
/// that moment, in the order the month runs — opened, sales and absence entered, adjustments, self-assessments,
/// supervisors' sheets, feedback talks, computed, confirmed (<see cref="DemoTimeline"/>).
/// </summary>
public sealed class DemoData(
    AppDbContext db,
    UserManager<AppUser> users,
    CompanyClock clock,
    PolicyStore policies,
    IConfiguration configuration)
{
    public const string Password = "Appraisal2026";

    private static readonly string[] AgentNames =
        ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴昊", "徐丽", "孙杰"];

    /// <summary>The user names of the demo's accounts (the administrator's is configuration's, "admin" by default).</summary>
    public static IEnumerable<string> UserNames =>
        ["gm", "hr", "sup1", "sup2", .. Enumerable.Range(1, AgentNames.Length).Select(i => $"agent{i:D2}")];

    public static IEnumerable<string> AccountsText()
    {
        yield return "演示账户 Demo accounts (password 密码: " + Password + "):";
        yield return "  gm        总经理 general manager";
        yield return "  hr        人力资源 HR";
        yield return "  sup1      部门主管 supervisor, 客服一组 (agent01–agent06)";
        yield return "  sup2      部门主管 supervisor, 客服二组 (agent07–agent12)";
        yield return "  agent01   客服 agent 张伟 … agent12 孙杰";
        yield return "  admin     管理员 administrator";
    }

    public async Task CreateAsync(CancellationToken ct)
    {
        var random = new Random(20261127);
        var hired = new DateOnly(2024, 3, 1);
        var gm = await AddPersonAsync("M001", "郑总", Roles.GeneralManager, null, "gm", hired);
        var hr = await AddPersonAsync("H001", "林人事", Roles.Hr, null, "hr", hired);
        var teams = new List<Team>();
        for (var t = 1; t <= 2; t++)
        {
            var supervisor = await AddPersonAsync($"S00{t}", t == 1 ? "马主管" : "高主管", Roles.Supervisor, null, $"sup{t}", hired);
            var team = new Team { Name = t == 1 ? "客服一组" : "客服二组", SupervisorId = supervisor.Id };
            db.Teams.Add(team);
            await db.SaveChangesAsync(ct);
            supervisor.TeamId = team.Id;
            teams.Add(team);
        }

        var agents = new List<Person>();
        for (var i = 0; i < AgentNames.Length; i++)
        {
            var team = teams[i / 6];
            agents.Add(await AddPersonAsync($"E{i + 1:D3}", AgentNames[i], Roles.Agent, team.Id, $"agent{i + 1:D2}", hired));
        }

        await db.SaveChangesAsync(ct);

        var policy = DefaultPolicy.Instance;
        var current = WindowRules.AppraisedMonth(policy, clock.Today);
        var hrActor = new Actor("hr", hr.Id, new HashSet<string> { Roles.Hr });
        var gmActor = new Actor("gm", gm.Id, new HashSet<string> { Roles.GeneralManager });
        var quality = agents.ToDictionary(a => a.Id, _ => 0.62 + (random.NextDouble() * 0.38));
        // The demo's past months send nobody mail: their outboxes have e-mail off.
        var noMail = new Reminders.MailSettings(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        for (var back = 3; back >= 0; back--)
        {
            var ym = current.PlusMonths(-back);
            var time = new DemoTimeline(policy, ym, clock, confirmed: back > 0);
            var month = new AppraisalMonth { Month = ym.ToString(), Status = MonthStatus.Open, OpenedAt = time.Opened, OpenedBy = "hr" };
            db.Months.Add(month);
            await db.SaveChangesAsync(ct);
            foreach (var (agent, n) in agents.Select((a, n) => (a, n)))
            {
                // agent01's current month is left to be done by hand, from self-assessment on.
                if (back == 0 && agent == agents[0])
                {
                    continue;
                }

                var q = quality[agent.Id];
                if (random.NextDouble() > 0.08)
                {
                    db.Sheets.Add(MakeSheet(policy, random, month.Id, agent.Id, SheetKind.Self, Math.Min(1, q + 0.05), time.SelfSheet(n), agent.EmployeeNo));
                }

                var supervisorName = agent.TeamId == teams[0].Id ? "sup1" : "sup2";
                db.Sheets.Add(MakeSheet(policy, random, month.Id, agent.Id, SheetKind.Supervisor, q, time.SupervisorSheet(n), supervisorName));
                var plan = 60_000m + (random.Next(0, 19) * 5_000m);
                var actual = Math.Round(plan * (decimal)(0.6 + (q * 0.6) + ((random.NextDouble() - 0.5) * 0.2)), 2);
                db.Facts.Add(new MonthFacts
                {
                    MonthId = month.Id,
                    PersonId = agent.Id,
                    SalesPlan = plan,
                    SalesActual = actual,
                    AbsentDays = random.NextDouble() < 0.2 ? random.Next(1, 4) : 0,
                    UpdatedAt = time.Facts(n),
                    UpdatedBy = "hr",
                });
                db.FeedbackTalks.Add(new FeedbackTalk
                {
                    MonthId = month.Id,
                    PersonId = agent.Id,
                    Date = time.Talk(n),
                    Notes = "已面谈：肯定成绩，约定下月改进点。",
                    By = supervisorName,
                });
                if (random.NextDouble() < 0.15)
                {
                    db.PayAdjustments.Add(new Pay.PayAdjustment
                    {
                        MonthId = month.Id,
                        PersonId = agent.Id,
                        Amount = random.NextDouble() < 0.5 ? 100m : -50m,
                        Reason = "全勤奖 / 考勤扣款",
                        By = "hr",
                        At = time.Adjustment(n),
                    });
                }
            }

            await db.SaveChangesAsync(ct);
            if (back > 0)
            {
                // Computed and confirmed at their own moments (after the window), audited then, not at creation.
                var computedAt = new PinnedClock(time.Computed);
                var computedClock = new CompanyClock(computedAt, configuration);
                await new ComputeResults(db, policies, new Audit.AuditLog(db, computedAt), computedClock, new Reminders.Outbox(db, noMail, computedClock))
                    .ExecuteAsync(hrActor, month.Id, ct);
                var confirmedAt = new PinnedClock(time.Confirmed);
                var confirmedClock = new CompanyClock(confirmedAt, configuration);
                await new ConfirmMonth(db, new Audit.AuditLog(db, confirmedAt), confirmedAt, new Reminders.Outbox(db, noMail, confirmedClock))
                    .ExecuteAsync(gmActor, month.Id, (await db.Months.FindAsync([month.Id], ct))!.Version, ct);
            }
        }
    }

    private static Sheet MakeSheet(PolicyDocument policy, Random random, int monthId, int personId, SheetKind kind, double quality, DateTime at, string by)
    {
        var sheet = new Sheet { MonthId = monthId, PersonId = personId, Kind = kind, SubmittedAt = at, SubmittedBy = by, UpdatedAt = at };
        foreach (var item in policy.Items)
        {
            var target = item.Max * Math.Clamp(quality + ((random.NextDouble() - 0.5) * 0.25), 0, 1);
            var score = (int)Math.Clamp(Math.Round(target), 0, item.Max);
            var level = item.Levels.Select((l, i) => (l, i)).First(x => x.l.Holds(score)).i;
            sheet.Items.Add(new SheetItem { ItemKey = item.Key, LevelIndex = level, Score = score });
        }

        return sheet;
    }

    private async Task<Person> AddPersonAsync(string no, string name, string role, int? teamId, string userName, DateOnly hired)
    {
        var person = new Person { EmployeeNo = no, Name = name, Role = role, TeamId = teamId, HireDate = hired };
        db.People.Add(person);
        await db.SaveChangesAsync();
        var user = new AppUser { UserName = userName, PersonId = person.Id };
        DatabaseStart.Check(await users.CreateAsync(user, Password));
        DatabaseStart.Check(await users.AddToRoleAsync(user, role));
        return person;
    }

    /// <summary>A clock standing at one past moment, for the demo's computations and confirmations.</summary>
    private sealed class PinnedClock(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }
}

/// <summary>
/// When each thing of one demo month happened. Planned on the company's calendar (第六条's window 3~6日): the month opened on
/// its 1st; sales, plans and absence entered on the 1st of the next month, adjustments on the 2nd, self-assessments when the
/// window opens, supervisors' sheets the day after, feedback talks the day after that, results computed and confirmed the
/// day after the window closes. When part of that plan is still ahead of now — the month being appraised, or a month
/// confirmed only in the last hours — the whole plan is squeezed, in the same order, between the month's opening and
/// now, so that nothing is dated in the future and facts always come before the sheets that are scored on them.
/// </summary>
public sealed class DemoTimeline
{
    private readonly DateTime opened;
    private readonly double scale;
    private readonly CompanyClock clock;
    private readonly DateOnly windowOpens;
    private readonly DateOnly windowCloses;
    private readonly YearMonth month;

    public DemoTimeline(PolicyDocument policy, YearMonth month, CompanyClock clock, bool confirmed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
        this.month = month;
        windowOpens = WindowRules.Opens(policy, month);
        windowCloses = WindowRules.Deadline(policy, month);
        opened = At(month.FirstDay, 9, 0);
        var last = confirmed ? PlannedConfirmed : PlannedTalk(DemoAgents);
        var latest = clock.UtcNow.AddMinutes(-1);
        scale = last <= latest ? 1 : Math.Max(0, (latest - opened).TotalMinutes) / (last - opened).TotalMinutes;
    }

    /// <summary>How many agents a plan makes room for (each gets their own minutes, so that times are distinct).</summary>
    private const int DemoAgents = 12;

    public DateTime Opened => opened;

    public DateTime Facts(int agent) => Squeeze(At(month.Next.FirstDay, 10, agent));

    public DateTime Adjustment(int agent) => Squeeze(At(month.Next.FirstDay.AddDays(1), 11, agent));

    public DateTime SelfSheet(int agent) => Squeeze(At(windowOpens, 10, 5 * agent));

    public DateTime SupervisorSheet(int agent) => Squeeze(At(windowOpens.AddDays(1), 14, 5 * agent));

    /// <summary>The day of the feedback talk (a company date, never after today).</summary>
    public DateOnly Talk(int agent) => DateOnly.FromDateTime(clock.Local(TalkAt(agent)).DateTime);

    public DateTime TalkAt(int agent) => Squeeze(PlannedTalk(agent));

    public DateTime Computed => Squeeze(At(windowCloses.AddDays(1), 9, 0));

    public DateTime Confirmed => Squeeze(PlannedConfirmed);

    private DateTime PlannedConfirmed => At(windowCloses.AddDays(1), 15, 0);

    private DateTime PlannedTalk(int agent) => At(windowOpens.AddDays(2), 16, 5 * agent);

    private DateTime Squeeze(DateTime planned) => scale >= 1 ? planned : opened.AddMinutes((planned - opened).TotalMinutes * scale);

    private DateTime At(DateOnly day, int hour, int minutes) => clock.StartOfDayUtc(day).AddHours(hour).AddMinutes(minutes);
}
