using System.Net;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// The people and teams import on the demo company: new people and a new team with its supervisor, a changed person
/// (old → new in the preview and the audit), no accounts made, the same rows again change nothing; a file with errors
/// in several rows and cells lists every one and changes nothing (SQLite and PostgreSQL).
/// </summary>
public sealed class PeopleImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Header = "工号\t姓名\t组别\t主管工号\t角色\t入职日期\t离职日期\n";

    [Fact]
    public async Task New_people_a_new_team_and_a_changed_person_are_imported_and_the_same_rows_again_change_nothing()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var text = Header
            + "S003\t韩主管\t客服三组\tS003\t部门主管\t2025-01-01\t\n"
            + "E101\t新人甲\t客服三组\tS003\t\t2025/2/1\t\n"
            + "E012\t孙杰\t客服一组\t\t客服\t2024-03-01\t2026年11月30日\n"
            + "E011\t徐丽\t客服二组\t\t\t2024-03-01\t\n";
        var preview = (await hr.SendAsync("POST", "/api/imports/people/paste", new { text })).AssertOk();
        Assert.Equal(2, preview.GetProperty("new").GetInt32());
        Assert.Equal(1, preview.GetProperty("changed").GetInt32());
        Assert.Equal(1, preview.GetProperty("unchanged").GetInt32());
        var e012 = preview.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "E012");
        var changes = e012.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!, c => $"{c.GetProperty("old").GetString()} → {c.GetProperty("new").GetString()}");
        Assert.Equal("客服二组 → 客服一组", changes["team"]);
        Assert.Equal(" → 2026-11-30", changes["leaveDate"]);

        Assert.Equal(3, (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        var (team, supervisor, newcomer, moved, hasAccount) = await app.DbAsync(async db =>
        {
            var t = await db.Teams.AsNoTracking().SingleAsync(x => x.Name == "客服三组");
            var s = await db.People.AsNoTracking().SingleAsync(p => p.EmployeeNo == "S003");
            var n = await db.People.AsNoTracking().SingleAsync(p => p.EmployeeNo == "E101");
            var m = await db.People.AsNoTracking().SingleAsync(p => p.EmployeeNo == "E012");
            return (t, s, n, m, await db.Users.AnyAsync(u => u.PersonId == n.Id || u.PersonId == s.Id));
        });
        Assert.Equal(supervisor.Id, team.SupervisorId);
        Assert.Equal(Roles.Supervisor, supervisor.Role);
        Assert.Equal(team.Id, supervisor.TeamId);
        Assert.Equal((team.Id, Roles.Agent, new DateOnly(2025, 2, 1)), (newcomer.TeamId!.Value, newcomer.Role, newcomer.HireDate));
        Assert.Equal(new DateOnly(2026, 11, 30), moved.LeaveDate);
        Assert.False(hasAccount);

        var audit = await app.DbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action.StartsWith("team.") || a.Action.StartsWith("person.")).OrderBy(a => a.Id).ToListAsync());
        Assert.Contains(audit, a => a.Action == "team.create" && a.Detail!.Contains("客服三组", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "team.update" && a.Changes!.Contains("S003", StringComparison.Ordinal));
        var update = Assert.Single(audit, a => a.Action == "person.update" && a.PersonId == demo.Id("E012"));
        Assert.Contains("import ", update.Detail, StringComparison.Ordinal);
        Assert.Contains("2026-11-30", update.Changes, StringComparison.Ordinal);

        // The same rows again: all unchanged, and confirming writes nothing.
        var before = await DatabaseSnapshot.TakeAsync(app);
        var again = (await hr.SendAsync("POST", "/api/imports/people/paste", new { text })).AssertOk();
        Assert.Equal(4, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, (await hr.SendAsync("POST", $"/api/imports/confirm/{again.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    [Fact]
    public async Task A_file_with_errors_in_several_rows_and_cells_lists_every_one_and_changes_nothing()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var text = Header
            + "E001\t张伟\t客服一组\tE002\t\t2024-03-01\t\n"     // E002 is an agent, not a supervisor
            + "E201\t\t客服一组\t\t\t2024-03-01\t\n"             // no name
            + "E202\t某人\t客服一组\t\t老板\tabc\t\n"            // no such role; no date
            + "E203\t某人\t\tS001\t\t2024-03-01\t\n"             // a supervisor without a team
            + "E001\t张伟\t客服一组\t\t\t2024-03-01\t\n"         // twice
            + "E204\t某人\t客服一组\t\t\t2024-03-01\t2020-01-01\n" // left before hired
            + "E205\t某人\t客服一组\tS002\t\t2024-03-01\t\n"     // 客服一组's supervisor becomes S002 (the refused row above names none)
            + "E206\t某人\t客服一组\tS001\t\t2024-03-01\t\n";    // a second supervisor for the same team
        var before = await DatabaseSnapshot.TakeAsync(app);
        var answer = await hr.SendAsync("POST", "/api/imports/people/paste", new { text });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var places = answer.Body.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("column").GetString()}{p.GetProperty("row").GetInt32()}").ToList();
        Assert.Equal(["D2", "B3", "E4", "F4", "D5", "A6", "G7", "D9"], places);
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }
}
