using System.Globalization;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

// Not ".Audit": that namespace would hide Appraisal.Web.Audit from the other tests that name it as Audit.AuditEntry.
namespace Appraisal.Web.Tests.AuditAndData;

/// <summary>Old → new in the audit log (D25) for the changes other than facts: pay adjustments, window extensions, people, policy approval.</summary>
public sealed class OldNewTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pay_adjustment_records_the_months_other_pay_before_and_after()
    {
        var demo = await Demo.LoadAsync(app);
        var id = demo.Id("E004");
        var month = await app.MonthRowAsync(demo.Current.ToString());
        var before = (await app.DbAsync(db => db.PayAdjustments.Where(a => a.PersonId == id && a.MonthId == month.Id).Select(a => a.Amount).ToListAsync(Ct))).Sum();
        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = id, amount = 88.5m, reason = "餐补" })).AssertOk(System.Net.HttpStatusCode.Created);
        Assert.Equal(new AuditChange("otherPay", Text(before), Text(before + 88.5m)), Assert.Single(await LastChangesAsync("pay.adjust", id)));
    }

    [Fact]
    public async Task A_window_extension_records_the_end_it_replaces()
    {
        var demo = await Demo.LoadAsync(app);
        var id = demo.Id("E005");
        using var hr = await SignIn.AsAsync(app, "hr");
        // The normal window ends on the 6th of the next month (第六条); the first extension replaces that end.
        var deadline = demo.Next.FirstDay.AddDays(5);
        var first = deadline.AddDays(5);
        var second = first.AddDays(3);
        (await hr.SendAsync("POST", $"/api/months/{demo.Current}/extensions", new { person = id, until = first, reason = "病假" })).AssertOk(System.Net.HttpStatusCode.Created);
        var change = Assert.Single(await LastChangesAsync("window.extend", id));
        Assert.Equal(new AuditChange("windowUntil", deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), change);

        (await hr.SendAsync("POST", $"/api/months/{demo.Current}/extensions", new { person = id, until = second, reason = "再延" })).AssertOk(System.Net.HttpStatusCode.Created);
        Assert.Equal(new AuditChange("windowUntil", first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), second.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Assert.Single(await LastChangesAsync("window.extend", id)));
    }

    [Fact]
    public async Task A_person_change_records_each_field_replaced_and_a_new_person_is_named_by_their_entry()
    {
        var hrActor = new Actor("hr", null, new HashSet<string> { Roles.Hr });
        var created = await app.WithServiceAsync<SavePerson, Person>(save =>
            save.ExecuteAsync(hrActor, null, new PersonInput("E777", "新员工", Roles.Agent, null, new DateOnly(2026, 1, 5), null, true), null, Ct));
        var create = await app.DbAsync(db => db.Audit.Where(a => a.Action == "person.create").OrderByDescending(a => a.Id).FirstAsync(Ct));
        Assert.Equal(created.Id, create.PersonId);
        Assert.Contains(new AuditChange("name", null, "新员工"), AuditChange.FromJson(create.Changes));

        await app.WithServiceAsync<SavePerson, Person>(save =>
            save.ExecuteAsync(hrActor, created.Id, new PersonInput("E777", "新员工", Roles.Agent, null, new DateOnly(2026, 1, 5), new DateOnly(2026, 6, 30), false), created.Version, Ct));
        Assert.Equal(
            [new AuditChange("leaveDate", null, "2026-06-30"), new AuditChange("active", "true", "false")],
            await LastChangesAsync("person.update", created.Id));
    }

    [Fact]
    public async Task A_policy_approval_records_the_version_it_replaces_from_its_month()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var gm = await SignIn.AsAsync(app, "gm");
        var source = (await hr.SendAsync("GET", "/api/policy/versions")).AssertOk().EnumerateArray().First(v => v.GetProperty("inForce").GetBoolean());
        var draft = (await hr.SendAsync("POST", "/api/policy/versions", new { from = source.GetProperty("id").GetInt32() })).AssertOk(System.Net.HttpStatusCode.Created);
        (await gm.SendAsync("POST", $"/api/policy/versions/{draft.GetProperty("id").GetInt32()}/approval",
            new { effectiveMonth = "2032-01", version = draft.GetProperty("version").GetInt32() })).AssertOk();
        var changes = await app.DbAsync(async db =>
            AuditChange.FromJson(await db.Audit.Where(a => a.Action == "policy.approve" && a.Month == "2032-01").Select(a => a.Changes).SingleAsync(Ct)));
        Assert.Equal(new AuditChange("policyInForce", source.GetProperty("name").GetString(), draft.GetProperty("name").GetString()), Assert.Single(changes));
    }

    private Task<IReadOnlyList<AuditChange>> LastChangesAsync(string action, int personId) => app.DbAsync(async db =>
        AuditChange.FromJson(await db.Audit.Where(a => a.Action == action && a.PersonId == personId).OrderByDescending(a => a.Id).Select(a => a.Changes).FirstAsync(Ct)));

    private static string Text(decimal amount) => amount.ToString("G29", CultureInfo.InvariantCulture);
}
