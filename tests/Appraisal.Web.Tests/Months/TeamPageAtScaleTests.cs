using System.Net;
using System.Text.RegularExpressions;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Sheets;
using Appraisal.Bench;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Months;

/// <summary>
/// The team page for a company of 3 000 agents in 30 teams with sheets and talks in every state: HR's counts per team
/// are the stored ones, each status filter lists exactly the agents in that state, page after page without overlap;
/// a supervisor sees only their own team (SQLite and PostgreSQL).
/// </summary>
public sealed partial class TeamPageAtScaleTests(TeamPageAtScaleTests.App app) : IClassFixture<TeamPageAtScaleTests.App>
{
    private const int Agents = 3000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The demo company with 3 000 more agents; self-assessments, supervisor sheets (some drafts) and talks for varied subsets.</summary>
    public sealed class App : AppFactory, IAsyncLifetime
    {
        public string Month { get; private set; } = string.Empty;

        async ValueTask IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            Month = await this.OpenMonthAsync();
            await ManyAgents.AddAsync(Services, Month, Agents);
            var month = Month;
            await DbAsync(async db =>
            {
                var monthId = await db.Months.Where(m => m.Month == month).Select(m => m.Id).SingleAsync(Ct);
                var ids = await db.People.Where(p => EF.Functions.Like(p.EmployeeNo, "A%")).OrderBy(p => p.EmployeeNo).Select(p => p.Id).ToListAsync(Ct);
                var at = DateTime.UtcNow.AddHours(-1);
                for (var i = 0; i < ids.Count; i++)
                {
                    // Self: submitted for 2 in 3, a draft for some of the rest; supervisor: submitted for 1 in 4, a draft for 1 in 7; talks for 1 in 5.
                    if (i % 3 != 0 || i % 9 == 3)
                    {
                        db.Sheets.Add(new Sheet { MonthId = monthId, PersonId = ids[i], Kind = SheetKind.Self, UpdatedAt = at, SubmittedAt = i % 3 != 0 ? at : null });
                    }

                    if (i % 4 == 0 || i % 7 == 0)
                    {
                        db.Sheets.Add(new Sheet { MonthId = monthId, PersonId = ids[i], Kind = SheetKind.Supervisor, UpdatedAt = at, SubmittedAt = i % 4 == 0 ? at : null });
                    }

                    if (i % 5 == 0)
                    {
                        db.FeedbackTalks.Add(new FeedbackTalk { MonthId = monthId, PersonId = ids[i], Date = DateOnly.FromDateTime(at), Notes = "面谈", By = "sup" });
                    }
                }

                return await db.SaveChangesAsync(Ct);
            });
        }
    }

    private sealed record State(int Id, int? TeamId, bool Self, bool Supervisor, bool Talk);

    private Task<List<State>> StatesAsync() => app.DbAsync(async db =>
    {
        var monthId = await db.Months.Where(m => m.Month == app.Month).Select(m => m.Id).SingleAsync(Ct);
        var month = Appraisal.Core.Months.YearMonth.Parse(app.Month);
        return await Appraisal.App.Results.ComputeResults.Appraised(db, month).Select(p => new State(p.Id, p.TeamId,
            db.Sheets.Any(s => s.MonthId == monthId && s.PersonId == p.Id && s.Kind == SheetKind.Self && s.SubmittedAt != null),
            db.Sheets.Any(s => s.MonthId == monthId && s.PersonId == p.Id && s.Kind == SheetKind.Supervisor && s.SubmittedAt != null),
            db.FeedbackTalks.Any(t => t.MonthId == monthId && t.PersonId == p.Id))).ToListAsync(Ct);
    });

    [GeneratedRegex("<tr>\\s*<td>([^<]+)</td>\\s*<th scope=\"row\">")]
    private static partial Regex MemberRow();

    private async Task<List<string>> AllPagesAsync(HttpClient client, string query)
    {
        var numbers = new List<string>();
        for (var p = 1; p < 60; p++)
        {
            using var response = await client.GetAsync($"/Months/Team?month={app.Month}{query}&p={p}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.TextAsync();
            numbers.AddRange(MemberRow().Matches(html).Select(m => m.Groups[1].Value.Trim()));
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return numbers;
            }
        }

        throw new InvalidOperationException("more than 60 pages");
    }

    [Theory]
    [InlineData("")]
    [InlineData(nameof(TeamStatus.SelfMissing))]
    [InlineData(nameof(TeamStatus.SupervisorMissing))]
    [InlineData(nameof(TeamStatus.TalkMissing))]
    [InlineData(nameof(TeamStatus.Done))]
    public async Task Each_status_lists_exactly_the_agents_in_that_state_page_after_page(string statusName)
    {
        TeamStatus? status = statusName.Length == 0 ? null : Enum.Parse<TeamStatus>(statusName);
        var states = await StatesAsync();
        var expected = states.Where(s => status switch
        {
            TeamStatus.SelfMissing => !s.Self,
            TeamStatus.SupervisorMissing => !s.Supervisor,
            TeamStatus.TalkMissing => !s.Talk,
            TeamStatus.Done => s.Self && s.Supervisor && s.Talk,
            _ => true,
        }).Select(s => s.Id).ToHashSet();
        var numbers = await app.DbAsync(db => db.People.Where(p => expected.Contains(p.Id)).Select(p => p.EmployeeNo).ToListAsync(Ct));

        using var hr = await SignIn.AsAsync(app, "hr");
        var listed = await AllPagesAsync(hr, status is null ? string.Empty : $"&status={status}");
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(numbers.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_counts_per_team_are_the_stored_ones_and_a_supervisor_sees_only_their_team()
    {
        var states = await StatesAsync();
        var teams = await app.DbAsync(db => db.Teams.Select(t => new { t.Id, t.Name, SupervisorId = t.SupervisorId!.Value }).ToListAsync(Ct));
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await hr.GetAsync($"/Months/Team?month={app.Month}", Ct);
        var html = await response.TextAsync();
        foreach (var team in teams.Where(t => t.Name.StartsWith("热线", StringComparison.Ordinal)).Take(5))
        {
            var of = states.Where(s => s.TeamId == team.Id).ToList();
            var row = Regex.Match(html, $"team={team.Id}\">{Regex.Escape(team.Name)}</a></th>\\s*<td>[^<]*</td><td class=\"num\">(\\d+)</td>\\s*<td class=\"num\">(\\d+)</td><td class=\"num\">(\\d+)</td><td class=\"num\">(\\d+)</td>");
            Assert.True(row.Success, $"no summary row for {team.Name}");
            Assert.Equal([of.Count, of.Count(s => s.Self), of.Count(s => s.Supervisor), of.Count(s => s.Talk)],
                row.Groups.Values.Skip(1).Select(g => int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        // A new team's supervisor: one team, its members only, all on one page.
        var first = teams.First(t => t.Name == "热线1组");
        var account = $"lead{first.Id}";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = account, PersonId = first.SupervisorId };
            Assert.True((await users.CreateAsync(user, SignIn.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Supervisor)).Succeeded);
        }

        using var lead = await SignIn.AsAsync(app, account);
        var mine = await AllPagesAsync(lead, string.Empty);
        var expected = await app.DbAsync(db => db.People.Where(p => p.TeamId == first.Id && p.Role == Roles.Agent).Select(p => p.EmployeeNo).ToListAsync(Ct));
        Assert.Equal(expected.Order(StringComparer.Ordinal), mine.Order(StringComparer.Ordinal));
    }
}
