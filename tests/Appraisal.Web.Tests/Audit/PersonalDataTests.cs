using System.Globalization;
using System.Net;
using System.Text.Json;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Reminders;
using Appraisal.Web.Months;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

// Not ".Audit": that namespace would hide Appraisal.Web.Audit from the other tests that name it as Audit.AuditEntry.
namespace Appraisal.Web.Tests.AuditAndData;

/// <summary>
/// "我的数据" (D25, PIPL Art. 45): each person's download holds exactly their rows (compared with the database),
/// nothing of anyone else, nothing unpublished (D16); HR and the general manager download it for a person, audited.
/// </summary>
public sealed class PersonalDataTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("agent01", "E001")]
    [InlineData("agent02", "E002")]
    public async Task An_agent_downloads_exactly_their_own_rows(string user, string employeeNo)
    {
        var demo = await Demo.LoadAsync(app);
        var id = demo.Id(employeeNo);
        var others = await app.DbAsync(db => db.People.Where(p => p.Id != id).Select(p => new { p.EmployeeNo, p.Name }).ToListAsync(Ct));
        using var client = await SignIn.AsAsync(app, user);
        var (file, text) = await DownloadAsync(client, "/api/me/data");

        var db = await SnapshotAsync(id, user);
        Assert.Equal(id, file.GetProperty("person").GetProperty("id").GetInt32());
        Assert.Equal(employeeNo, file.GetProperty("person").GetProperty("employeeNo").GetString());
        Assert.Equal(user, file.GetProperty("account").GetProperty("userName").GetString());
        Assert.Equal(db.Sheets, Rows(file, "sheets", s => $"{s.GetProperty("month").GetString()} {s.GetProperty("kind").GetString()} {s.GetProperty("items").GetArrayLength()}"));
        Assert.Equal(db.Facts, Rows(file, "facts", f => $"{f.GetProperty("month").GetString()} {f.GetProperty("salesActual").GetDecimal().ToString("G29", CultureInfo.InvariantCulture)}"));
        Assert.Equal(db.Results, Rows(file, "results", r => $"{r.GetProperty("month").GetString()} {r.GetProperty("payslip").GetProperty("totalPay").GetDecimal().ToString("G29", CultureInfo.InvariantCulture)}"));
        Assert.Equal(db.Adjustments, Rows(file, "payAdjustments", a => $"{a.GetProperty("month").GetString()} {a.GetProperty("amount").GetDecimal().ToString("G29", CultureInfo.InvariantCulture)}"));
        Assert.Equal(db.Talks, Rows(file, "feedbackTalks", t => t.GetProperty("month").GetString()!));
        Assert.Equal(db.Audit, Rows(file, "auditEntries", a => a.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)));
        Assert.True(db.Sheets.Count > 0 && db.Results.Count > 0 && db.Talks.Count > 0, "the demo gives every agent sheets, results and talks");

        // Not yet published (D16): the open month's supervisor sheet and results.
        Assert.DoesNotContain(db.Sheets, s => s.StartsWith($"{demo.Current} supervisor", StringComparison.Ordinal));
        Assert.DoesNotContain(db.Results, r => r.StartsWith(demo.Current.ToString(), StringComparison.Ordinal));

        // Nothing secret, nothing of anyone else.
        Assert.DoesNotContain("passwordHash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", text, StringComparison.OrdinalIgnoreCase);
        Assert.All(others, o =>
        {
            Assert.DoesNotContain($"\"{o.EmployeeNo}\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain(o.Name, text, StringComparison.Ordinal);
        });

        // Times are UTC with their offset.
        Assert.All(file.GetProperty("sheets").EnumerateArray(), s => Assert.EndsWith("+00:00", s.GetProperty("updatedAt").GetString(), StringComparison.Ordinal));
        Assert.EndsWith("+00:00", file.GetProperty("exportedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_supervisors_sheet_appears_once_the_month_is_published()
    {
        var demo = await Demo.LoadAsync(app);
        var id = demo.Id("E002");
        var stored = await app.DbAsync(db => db.Sheets.Where(s => s.PersonId == id && s.Kind == SheetKind.Supervisor && s.SubmittedAt != null)
            .Select(s => s.Month!.Month).ToListAsync(Ct));
        Assert.Contains(demo.Current.ToString(), stored);
        using var agent = await SignIn.AsAsync(app, "agent02");
        var (file, _) = await DownloadAsync(agent, "/api/me/data");
        var shown = file.GetProperty("sheets").EnumerateArray().Where(s => s.GetProperty("kind").GetString() == "supervisor").Select(s => s.GetProperty("month").GetString()).ToList();
        Assert.Equal(stored.Where(m => m != demo.Current.ToString()).Order(StringComparer.Ordinal), shown);
        Assert.Contains(file.GetProperty("sheets").EnumerateArray(), s => s.GetProperty("kind").GetString() == "self" && s.GetProperty("month").GetString() == demo.Current.ToString());
    }

    [Fact]
    public async Task What_a_supervisor_did_about_agents_is_in_their_file_without_the_agents_data()
    {
        using var sup = await SignIn.AsAsync(app, "sup1");
        var demo = await Demo.LoadAsync(app);
        var month = await app.DbAsync(db => db.Months.SingleAsync(m => m.Month == demo.Current.ToString(), Ct));

        // sup1 records a feedback talk about agent03: an entry by sup1 about someone else.
        var talk = (await sup.SendAsync("GET", $"/api/months/{demo.Current}/sheets/{demo.Id("E003")}/supervisor")).Status;
        await app.DbAsync(async db =>
        {
            db.Audit.Add(new AuditEntry { At = DateTime.UtcNow, User = "sup1", Action = "feedback.record", Month = month.Month, PersonId = demo.Id("E003"), Detail = "E003 secret notes" });
            return await db.SaveChangesAsync(Ct);
        });
        var (file, text) = await DownloadAsync(sup, "/api/me/data");
        var byMe = file.GetProperty("auditEntries").EnumerateArray().Where(a => a.GetProperty("action").GetString() == "feedback.record").ToList();
        Assert.NotEmpty(byMe);
        Assert.All(byMe, a =>
        {
            Assert.False(a.GetProperty("aboutThisPerson").GetBoolean());
            Assert.Equal(JsonValueKind.Null, a.GetProperty("detail").ValueKind);
            Assert.Equal(JsonValueKind.Null, a.GetProperty("changes").ValueKind);
        });
        Assert.DoesNotContain("secret notes", text, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.InternalServerError, talk);
        var agents = await app.DbAsync(db => db.People.Where(p => p.Role == "Agent").Select(p => p.Name).ToListAsync(Ct));
        Assert.All(agents, name => Assert.DoesNotContain(name, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HR_and_the_general_manager_download_a_persons_file_audited_and_nobody_else_can()
    {
        var demo = await Demo.LoadAsync(app);
        var id = demo.Id("E001");
        foreach (var user in new[] { "agent02", "sup1", "sup2", "admin" })
        {
            using var client = await SignIn.AsAsync(app, user);
            (await client.SendAsync("GET", $"/api/people/{id}/data")).AssertProblem(HttpStatusCode.Forbidden);
        }

        using var admin = await SignIn.AsAsync(app, "admin");
        (await admin.SendAsync("GET", "/api/me/data")).AssertProblem(HttpStatusCode.NotFound);

        foreach (var user in new[] { "hr", "gm" })
        {
            var before = await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == AuditWords.PersonalDataDownload && a.PersonId == id && a.User == user, Ct));
            using var client = await SignIn.AsAsync(app, user);
            var (file, _) = await DownloadAsync(client, $"/api/people/{id}/data");
            Assert.Equal("E001", file.GetProperty("person").GetProperty("employeeNo").GetString());
            Assert.Equal(user, file.GetProperty("exportedBy").GetString());
            Assert.Equal(before + 1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == AuditWords.PersonalDataDownload && a.PersonId == id && a.User == user, Ct)));
            (await client.SendAsync("GET", "/api/people/999999/data")).AssertProblem(HttpStatusCode.NotFound);
        }

        // The person sees who downloaded their data.
        using var agent = await SignIn.AsAsync(app, "agent01");
        var (own, _) = await DownloadAsync(agent, "/api/me/data");
        Assert.Contains(own.GetProperty("auditEntries").EnumerateArray(), a => a.GetProperty("action").GetString() == AuditWords.PersonalDataDownload && a.GetProperty("user").GetString() == "hr");
    }

    [Fact]
    public async Task The_page_offers_the_download_to_everyone_and_the_person_search_to_HR_only()
    {
        using var agent = await app.SignInAsync("agent01");
        Assert.Contains("href=\"/People/MyData\"", await agent.PageAsync("/"), StringComparison.Ordinal);
        var page = await agent.PageAsync("/People/MyData");
        Assert.Contains("下载我的数据", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"employeeNo\"", page, StringComparison.Ordinal);
        using var download = await agent.GetAsync("/People/MyData?handler=Download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("personal-data-E001-", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await download.Content.ReadAsStringAsync(Ct));
        Assert.Equal("E001", json.RootElement.GetProperty("person").GetProperty("employeeNo").GetString());

        using var forged = await agent.GetAsync("/People/MyData?handler=Download&employeeNo=E002");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.DoesNotContain("\"E002\"", await forged.TextAsync(), StringComparison.Ordinal);

        using var hr = await app.SignInAsync("hr");
        Assert.Contains("name=\"employeeNo\"", await hr.PageAsync("/People/MyData"), StringComparison.Ordinal);
        using var forE002 = await hr.GetAsync("/People/MyData?handler=Download&employeeNo=E002");
        Assert.Equal(HttpStatusCode.OK, forE002.StatusCode);
        using var e002 = JsonDocument.Parse(await forE002.Content.ReadAsStringAsync(Ct));
        Assert.Equal("E002", e002.RootElement.GetProperty("person").GetProperty("employeeNo").GetString());
        using var unknown = await hr.GetAsync("/People/MyData?handler=Download&employeeNo=E999");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("E999", Html.Error(await unknown.TextAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_holds_the_accounts_e_mail_address_and_the_messages_addressed_to_it_and_no_one_elses()
    {
        var ids = await app.DbAsync(db => db.Users.Where(u => u.UserName == "agent03" || u.UserName == "agent04").ToDictionaryAsync(u => u.UserName!, u => u.Id, Ct));
        var admin = new Actor("admin", null, new HashSet<string> { Roles.Admin });
        await app.WithServiceAsync<ManageAccounts, bool>(async a =>
        {
            await a.SetEmailAsync(admin, ids["agent03"], "li.na@company.test", Ct);
            return true;
        });
        var sent = new DateTime(2026, 11, 3, 1, 0, 0, DateTimeKind.Utc);
        await app.DbAsync(db =>
        {
            db.Outbox.Add(Message(ids["agent03"], "li.na@company.test", "考核期已开始（给 agent03）", OutboxStatus.Sent, sent));
            db.Outbox.Add(Message(ids["agent03"], "li.na@company.test", "明天截止（给 agent03）", OutboxStatus.Pending, null));
            db.Outbox.Add(Message(ids["agent04"], "liu.yang@company.test", "只给 agent04 的提醒", OutboxStatus.Sent, sent));
            return db.SaveChangesAsync(Ct);
        });

        using var agent = await SignIn.AsAsync(app, "agent03");
        var (file, text) = await DownloadAsync(agent, "/api/me/data");
        Assert.Equal("li.na@company.test", file.GetProperty("account").GetProperty("email").GetString());
        var messages = file.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["明天截止（给 agent03）", "考核期已开始（给 agent03）"], messages.Select(m => m.GetProperty("subject").GetString()!).Order(StringComparer.Ordinal));
        var first = messages.Single(m => m.GetProperty("status").GetString() == "sent");
        Assert.Equal("li.na@company.test", first.GetProperty("to").GetString());
        Assert.Equal("window.open", first.GetProperty("kind").GetString());
        Assert.StartsWith("正文", first.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-11-03T01:00:00+00:00", first.GetProperty("sentAt").GetString());
        Assert.DoesNotContain("agent04", text, StringComparison.Ordinal);
        Assert.DoesNotContain("liu.yang", text, StringComparison.Ordinal);

        // The account's e-mail change is an entry about the person, old → new.
        Assert.Contains(file.GetProperty("auditEntries").EnumerateArray(), a => a.GetProperty("action").GetString() == "account.email"
            && a.GetProperty("changes").EnumerateArray().Any(c => c.GetProperty("new").GetString() == "li.na@company.test"));
    }

    [Fact]
    public async Task The_file_holds_the_teams_a_supervisor_leads_and_what_the_person_opened_confirmed_or_approved()
    {
        using var sup = await SignIn.AsAsync(app, "sup1");
        var (supFile, _) = await DownloadAsync(sup, "/api/me/data");
        var led = await app.DbAsync(db => db.Teams.Where(t => t.Supervisor!.EmployeeNo == "S001").Select(t => t.Name).ToListAsync(Ct));
        Assert.Equal(led, supFile.GetProperty("supervisedTeams").EnumerateArray().Select(t => t.GetString()!).ToList());
        Assert.NotEmpty(led);

        foreach (var user in new[] { "hr", "gm" })
        {
            using var client = await SignIn.AsAsync(app, user);
            var (file, _) = await DownloadAsync(client, "/api/me/data");
            var stored = await app.DbAsync(async db =>
                (await db.Months.Where(m => m.OpenedBy == user).Select(m => "month.open " + m.Month).ToListAsync(Ct))
                .Concat(await db.Months.Where(m => m.ConfirmedBy == user).Select(m => "month.confirm " + m.Month).ToListAsync(Ct))
                .Concat(await db.PolicyVersions.Where(p => p.CreatedBy == user).Select(p => "policy.create " + p.VersionName).ToListAsync(Ct))
                .Concat(await db.PolicyVersions.Where(p => p.ApprovedBy == user).Select(p => "policy.approve " + p.VersionName).ToListAsync(Ct))
                .Order(StringComparer.Ordinal).ToList());
            Assert.NotEmpty(stored);
            Assert.Equal(stored, Rows(file, "authored", a => $"{a.GetProperty("what").GetString()} {a.GetProperty("of").GetString()}"));
        }
    }

    /// <summary>
    /// Every column that ties a row to a person or an account, over the whole model: each is read by
    /// <see cref="ReadPersonalData"/> or named here with why it is not. A new one fails here until the file holds it.
    /// </summary>
    [Fact]
    public async Task Every_column_that_names_a_person_or_an_account_is_accounted_for()
    {
        string[] covered =
        [
            "AppUser.PersonId", // account
            "Team.SupervisorId", // supervisedTeams
            "MonthFacts.PersonId", "MonthFacts.UpdatedBy", // facts (UpdatedBy of others' rows: audit entries by the person)
            "WindowExtension.PersonId", "WindowExtension.By",
            "Sheet.PersonId", "Sheet.SubmittedBy",
            "FeedbackTalk.PersonId", "FeedbackTalk.By",
            "PayAdjustment.PersonId", "PayAdjustment.By",
            "StoredResult.PersonId",
            "Appeal.PersonId", "Appeal.DecidedBy",
            "Acknowledgement.PersonId",
            "FlagReview.PersonId", "FlagReview.DecidedBy",
            "AuditEntry.PersonId", "AuditEntry.User", // auditEntries
            "OutboxMessage.UserId", // messages
            "AppraisalMonth.OpenedBy", "AppraisalMonth.ConfirmedBy", "PolicyVersion.CreatedBy", "PolicyVersion.ApprovedBy", // authored
            "IdentityUserRole<string>.UserId", // account.roles
            "ImportUpload.UploadedBy", // a file HR previewed, kept until confirmed or at most 30 minutes: in transit, not anyone's data

            // Identity's tables the product never writes (no external sign-in, no stored claims or tokens).
            "IdentityUserClaim<string>.UserId", "IdentityUserLogin<string>.UserId", "IdentityUserToken<string>.UserId",
        ];
        var found = await app.DbAsync(db => Task.FromResult(db.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Entity: e.DisplayName(), Property: p.Name)))
            .Where(x => x.Property is "PersonId" or "SupervisorId" or "UserId" or "User" || x.Property.EndsWith("By", StringComparison.Ordinal))
            .Select(x => $"{x.Entity}.{x.Property}")
            .Order(StringComparer.Ordinal).ToList()));
        Assert.Equal(covered.Order(StringComparer.Ordinal), found);
    }

    private static OutboxMessage Message(string userId, string to, string subject, OutboxStatus status, DateTime? sentAt) => new()
    {
        Kind = status == OutboxStatus.Sent ? "window.open" : "window.due",
        UserId = userId,
        Month = "2026-10",
        Occasion = subject,
        To = to,
        Subject = subject,
        Body = "正文 " + subject,
        Status = status,
        CreatedAt = new DateTime(2026, 11, 3, 0, 30, 0, DateTimeKind.Utc),
        NextAttemptAt = new DateTime(2026, 11, 3, 0, 30, 0, DateTimeKind.Utc),
        SentAt = sentAt,
    };

    private static async Task<(JsonElement File, string Text)> DownloadAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return (JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private static List<string> Rows(JsonElement file, string section, Func<JsonElement, string> key) =>
        file.GetProperty(section).EnumerateArray().Select(key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The person's rows as the database holds them, in the form <see cref="Rows"/> gives the file's.</summary>
    private async Task<(List<string> Sheets, List<string> Facts, List<string> Results, List<string> Adjustments, List<string> Talks, List<string> Audit)> SnapshotAsync(int id, string user) =>
        await app.DbAsync(async db =>
        {
            var confirmed = await db.Months.Where(m => m.Status == MonthStatus.Confirmed).Select(m => m.Id).ToListAsync(Ct);
            var months = await db.Months.ToDictionaryAsync(m => m.Id, m => m.Month, Ct);
            var sheets = (await db.Sheets.Include(s => s.Items).Where(s => s.PersonId == id).ToListAsync(Ct))
                .Where(s => s.Kind == SheetKind.Self || (s.SubmittedAt != null && confirmed.Contains(s.MonthId)))
                .Select(s => $"{months[s.MonthId]} {(s.Kind == SheetKind.Self ? "self" : "supervisor")} {s.Items.Count}");
            var facts = (await db.Facts.Where(f => f.PersonId == id).ToListAsync(Ct)).Select(f => $"{months[f.MonthId]} {f.SalesActual.ToString("G29", CultureInfo.InvariantCulture)}");
            var results = (await db.Results.Where(r => r.PersonId == id && confirmed.Contains(r.MonthId)).ToListAsync(Ct))
                .Select(r => $"{months[r.MonthId]} {r.TotalPay.ToString("G29", CultureInfo.InvariantCulture)}");
            var adjustments = (await db.PayAdjustments.Where(a => a.PersonId == id).ToListAsync(Ct)).Select(a => $"{months[a.MonthId]} {a.Amount.ToString("G29", CultureInfo.InvariantCulture)}");
            var talks = (await db.FeedbackTalks.Where(t => t.PersonId == id).ToListAsync(Ct)).Select(t => months[t.MonthId]);
            var audit = await db.Audit.Where(a => a.PersonId == id || a.User == user).Select(a => a.Id).ToListAsync(Ct);
            return (Sort(sheets), Sort(facts), Sort(results), Sort(adjustments), Sort(talks), Sort(audit.Select(a => a.ToString(CultureInfo.InvariantCulture))));
        });

    private static List<string> Sort(IEnumerable<string> rows) => rows.Order(StringComparer.Ordinal).ToList();
}
