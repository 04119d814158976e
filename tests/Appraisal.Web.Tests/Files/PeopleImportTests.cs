using System.Globalization;
using System.Net;
using MiniExcelLibs;
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
/// in several rows and cells lists every one and changes nothing. The 邮箱 / Email column sets the account's e-mail
/// through the accounts page's command (its check, its audit); a bad address or a person without an account is a
/// problem in its cell and nothing is imported (SQLite and PostgreSQL).
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

    /// <summary>The demo person's row as the people import writes it, with <paramref name="email"/> in the last column.</summary>
    private Task<string> RowAsync(string no, string email) => app.DbAsync(async db =>
    {
        var p = await db.People.AsNoTracking().Include(x => x.Team).SingleAsync(x => x.EmployeeNo == no, TestContext.Current.CancellationToken);
        return $"{p.EmployeeNo}\t{p.Name}\t{p.Team?.Name}\t\t{Roles.DisplayZh(p.Role)}\t{p.HireDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\t{p.LeaveDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\t{email}\n";
    });

    private Task<string?> EmailAsync(string no) =>
        app.DbAsync(db => db.Users.AsNoTracking().Where(u => u.Person!.EmployeeNo == no).Select(u => u.Email).SingleAsync(TestContext.Current.CancellationToken));

    [Fact]
    public async Task The_email_column_sets_the_accounts_address_with_the_accounts_check_and_audit_and_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var keptBefore = await EmailAsync("E005");
        var text = "工号\t姓名\t组别\t主管工号\t角色\t入职日期\t离职日期\tEmail\n"
            + await RowAsync("E003", "wang.fang@company.test")
            + await RowAsync("E004", "  li.na@company.test ")
            + await RowAsync("E005", string.Empty);
        var preview = (await hr.SendAsync("POST", "/api/imports/people/paste", new { text })).AssertOk();
        Assert.Equal((0, 2, 1), (preview.GetProperty("new").GetInt32(), preview.GetProperty("changed").GetInt32(), preview.GetProperty("unchanged").GetInt32()));
        var e004 = preview.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "E004");
        var change = Assert.Single(e004.GetProperty("changes").EnumerateArray());
        Assert.Equal(("email", "li.na@company.test"), (change.GetProperty("field").GetString(), change.GetProperty("new").GetString()));

        Assert.Equal(2, (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Equal("wang.fang@company.test", await EmailAsync("E003"));
        Assert.Equal("li.na@company.test", await EmailAsync("E004"));
        Assert.Equal(keptBefore, await EmailAsync("E005"));

        // Audited as the accounts page audits it (old → new), by HR, naming the file; no person changed.
        var audit = await app.DbAsync(db => db.Audit.AsNoTracking().Where(a => a.PersonId == demo.Id("E003") || a.PersonId == demo.Id("E004")).ToListAsync(ct));
        var entry = Assert.Single(audit, a => a.Action == "account.email" && a.PersonId == demo.Id("E003"));
        Assert.Equal("hr", entry.User);
        Assert.Contains("import ", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("wang.fang@company.test", entry.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, a => a.Action == "person.update");

        // The same file again: unchanged, and confirming writes nothing.
        var before = await DatabaseSnapshot.TakeAsync(app);
        var again = (await hr.SendAsync("POST", "/api/imports/people/paste", new { text })).AssertOk();
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, (await hr.SendAsync("POST", $"/api/imports/confirm/{again.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    [Theory]
    [InlineData("zh-CN", "格式不正确", "还没有登录账户")]
    [InlineData("en", "is not valid", "has no sign-in account")]
    public async Task A_bad_address_or_a_person_without_an_account_is_a_cell_error_and_nothing_is_imported(string culture, string bad, string noAccount)
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        if (culture == "en")
        {
            (await hr.GetAsync("/lang/en?returnUrl=/", TestContext.Current.CancellationToken)).Dispose();
        }

        Dictionary<string, object?> Row(string no, string name, string email) => new()
        {
            ["工号"] = no, ["姓名"] = name, ["组别"] = "客服一组", ["入职日期"] = new DateTime(2024, 3, 1), ["邮箱"] = email,
        };
        var file = ImportTests.Workbook("人员",
        [
            Row("E001", "张伟", "zhang.wei@company.test"),
            Row("E002", "王芳", "wang fang@company"),
            Row("E301", "新人乙", "xin.ren@company.test"),
            Row("E003", "李娜", "<script>@x"),
        ]);
        var before = await DatabaseSnapshot.TakeAsync(app);
        var answer = await ImportTests.UploadAsync(hr, "/api/imports/people?fileName=people.xlsx", file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var problems = answer.Body.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(["人员!E3", "人员!E4", "人员!E5"], problems.Select(p => p.GetProperty("where").GetString()));
        Assert.All(problems, p => Assert.Equal("邮箱", p.GetProperty("header").GetString()));
        Assert.Equal(["wang fang@company", "xin.ren@company.test", "<script>@x"], problems.Select(p => p.GetProperty("value").GetString()));
        Assert.Contains(bad, problems[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("wang fang@company", problems[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(noAccount, problems[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(bad, problems[2].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    [Fact]
    public async Task The_templates_have_the_email_column_and_say_an_account_is_needed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var hr = await SignIn.AsAsync(app, "hr");
        using var xlsx = await hr.GetAsync("/api/imports/people/template", ct);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync(ct);
        var example = (IDictionary<string, object>)Assert.Single(MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, sheetName: "人员"));
        Assert.Equal("zhang.wei@example.com", example["邮箱"]);
        var help = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, sheetName: "说明").Cast<IDictionary<string, object>>()
            .Single(r => (string)r["列 Column"] == "邮箱");
        Assert.Contains("须已有登录账户", (string)help["填写 Expected"], StringComparison.Ordinal);
        Assert.Contains("must already have an account", (string)help["填写 Expected"], StringComparison.Ordinal);

        using var csv = await hr.GetAsync("/api/imports/people/template?format=csv", ct);
        var lines = (await csv.Content.ReadAsStringAsync(ct)).TrimStart('\uFEFF').Split("\r\n");
        Assert.EndsWith(",邮箱", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",zhang.wei@example.com", lines[1], StringComparison.Ordinal);

        using var page = await hr.GetAsync("/People/Import?kind=people", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-column-note=\"email\"", await page.TextAsync(), StringComparison.Ordinal);
    }
}
