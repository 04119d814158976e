using System.Net;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Reminders;
using Appraisal.App.Results;
using Appraisal.Core.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;

namespace Appraisal.Web.Tests.Reminders;

/// <summary>
/// Issue 9's reminders end to end: the real background sender over MailKit against an in-process SMTP server
/// (netDumbster), with the clock pinned. The e-mails are read back (recipients, subject, the Chinese text with the
/// deadline in company time, the link); a restart on the same database sends nothing twice; a server that is down
/// is tried again; the home page's notices per role.
/// </summary>
public sealed class ReminderMailTests
{
    // A day on which no window is open whatever month the demo leaves open (its window is in April or later).
    private static readonly DateTimeOffset Start = new(2026, 3, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Window_reminders_are_sent_once_across_a_restart_and_a_failed_server_is_tried_again()
    {
        var key = Guid.NewGuid().ToString("N");
        var clock = new FixedTimeProvider(Start);
        var port = MailApp.FreePort();
        try
        {
            string month;
            WindowDays days;
            using (var smtp = SimpleSmtpServer.Start(port))
            {
                await using var app = await MailApp.StartAsync(clock, port, key);
                await app.SetEmailsAsync("agent01", "sup1");
                month = await app.OpenMonthAsync();
                var ym = YearMonth.Parse(month);
                var policy = await app.WithServiceAsync<PolicyStore, Core.Policy.PolicyDocument>(p => p.InForceAsync(ym, Ct));
                days = WindowDays.Of(policy, ym, WindowRules.Opens(policy, ym));

                // The opening day (第六条, the 3rd) at 09:00 company time.
                clock.Now = new DateTimeOffset(days.Opens.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));
                await MailApp.UntilAsync(() => smtp.ReceivedEmailCount >= 2, "the opening reminders");
                var mails = MailApp.Mails(smtp);
                var deadline = $"{days.Deadline:yyyy-MM-dd} 23:59 (UTC+08:00)";

                var agent = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "agent01@company.test");
                Assert.Equal($"【绩效考核】{month} 考核期已开始 · Appraisal window for {month} is open", agent.Subject);
                Assert.StartsWith("张伟，您好：", agent.TextBody, StringComparison.Ordinal);
                Assert.Contains($"{month} 的考核期已开始，请在 {deadline} 前提交您的自评", agent.TextBody, StringComparison.Ordinal);
                Assert.Contains($"{MailApp.BaseUrl}/Sheets/Edit?month={month}&person={await app.PersonIdAsync("E001")}&kind=Self", agent.TextBody, StringComparison.Ordinal);
                Assert.True(agent.TextBody!.IndexOf("您好", StringComparison.Ordinal) < agent.TextBody.IndexOf("Hello", StringComparison.Ordinal), "Chinese first, English below");
                Assert.Equal("appraisal@company.test", agent.From.Mailboxes.Single().Address);

                var supervisor = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "sup1@company.test");
                Assert.Contains("张伟", supervisor.TextBody, StringComparison.Ordinal);
                Assert.Contains($"请在 {deadline} 前为", supervisor.TextBody, StringComparison.Ordinal);
                Assert.Contains($"{MailApp.BaseUrl}/Months/Team?month={month}", supervisor.TextBody, StringComparison.Ordinal);

                // A scan run again on the same day queues nothing new.
                Assert.Equal(0, await app.WithServiceAsync<ScanReminders, int>(s => s.RunAsync(Ct)));
                await MailApp.UntilAsync(() => app.DbAsync(db => db.Outbox.AllAsync(m => m.Status == OutboxStatus.Sent, Ct)).Result, "the sent marks");
                Assert.Equal(2, smtp.ReceivedEmailCount);

                // The server goes away; the day before the deadline the reminders fail and wait for another attempt.
                smtp.Stop();
                clock.Now = new DateTimeOffset(days.Deadline.AddDays(-1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));
                await MailApp.UntilAsync(
                    () => app.DbAsync(db => db.Outbox.Where(m => m.Kind == ReminderKinds.WindowDue).ToListAsync(Ct)).Result
                        is { Count: 2 } due && due.All(m => m is { Status: OutboxStatus.Pending, Attempts: >= 1, LastError: not null }),
                    "the failed attempts");
            }

            // A restart: a new instance over the same database, and the server back (on another port).
            var port2 = MailApp.FreePort();
            using var smtp2 = SimpleSmtpServer.Start(port2);
            await using (var app2 = await MailApp.StartAsync(clock, port2, key))
            {
                // Not before the back-off: the failed messages wait a minute.
                Assert.Equal(0, await app2.WithServiceAsync<SendOutbox, int>(s => s.RunAsync(Ct)));
                clock.Now = clock.Now.AddMinutes(2);
                await MailApp.UntilAsync(() => smtp2.ReceivedEmailCount >= 2, "the retried reminders");
                await MailApp.UntilAsync(() => app2.DbAsync(db => db.Outbox.AllAsync(m => m.Status == OutboxStatus.Sent, Ct)).Result, "the sent marks");
                var mails = MailApp.Mails(smtp2);
                Assert.All(mails, m => Assert.Equal($"【绩效考核】{month} 考核明天截止 · Appraisal for {month} closes tomorrow", m.Subject));
                Assert.Equal(["agent01@company.test", "sup1@company.test"], mails.Select(m => m.To.Mailboxes.Single().Address).Order());
                Assert.Contains($"截止时间为 {days.Deadline:yyyy-MM-dd} 23:59 (UTC+08:00)", mails[0].TextBody, StringComparison.Ordinal);

                // Nothing sent twice: the opening reminders stay sent, a further pass finds nothing.
                Assert.Equal(0, await app2.WithServiceAsync<ScanReminders, int>(s => s.RunAsync(Ct)));
                Assert.Equal(0, await app2.WithServiceAsync<SendOutbox, int>(s => s.RunAsync(Ct)));
                var outbox = await app2.DbAsync(db => db.Outbox.AsNoTracking().ToListAsync(Ct));
                Assert.Equal(4, outbox.Count);
                Assert.Equal(2, smtp2.ReceivedEmailCount);
                Assert.All(outbox.Where(m => m.Kind == ReminderKinds.WindowDue), m => Assert.Equal(2, m.Attempts));
            }
        }
        finally
        {
            await MailApp.DropAsync(key);
        }
    }

    [Fact]
    public async Task Confirmation_publication_and_appeal_are_mailed_and_each_role_sees_its_notices()
    {
        var key = Guid.NewGuid().ToString("N");
        var clock = new FixedTimeProvider(Start);
        var port = MailApp.FreePort();
        try
        {
            using var smtp = SimpleSmtpServer.Start(port);
            await using var app = await MailApp.StartAsync(clock, port, key);
            await app.SetEmailsAsync("agent01", "gm", "hr");
            var gm = await app.ActorAsync("gm", Roles.GeneralManager, "M001");
            var hr = await app.ActorAsync("hr", Roles.Hr, "H001");
            var agent = await app.ActorAsync("agent01", Roles.Agent, "E001");
            var previous = await app.DbAsync(db => db.Months.Where(m => m.Status == MonthStatus.Confirmed).OrderByDescending(m => m.Month).FirstAsync(Ct));

            // The general manager reopens the last confirmed month; HR computes it again: it is ready to confirm.
            await app.WithServiceAsync<ReopenMonth, int>(async c => { await c.ExecuteAsync(gm, previous.Id, "复核销售数据", null, previous.Version, Ct); return 0; });
            await app.WithServiceAsync<ComputeResults, int>(c => c.ExecuteAsync(hr, previous.Id, Ct));
            await MailApp.UntilAsync(() => smtp.ReceivedEmailCount >= 1, "the general manager's e-mail");
            var ready = Assert.Single(MailApp.Mails(smtp));
            Assert.Equal("gm@company.test", ready.To.Mailboxes.Single().Address);
            Assert.Contains($"{previous.Month} 的考核结果已计算完毕，等待您审核并确认发布", ready.TextBody, StringComparison.Ordinal);
            Assert.Contains($"{MailApp.BaseUrl}/Results/Month?month={previous.Month}", ready.TextBody, StringComparison.Ordinal);
            Assert.Contains("等待您审核并确认发布", await HomeAsync(app, "gm"), StringComparison.Ordinal);

            // Confirmed (published) at 12:00 company time: agent01 may appeal for 7 days, until the 27th 12:00.
            var version = (await app.MonthRowAsync(previous.Month)).Version;
            await app.WithServiceAsync<ConfirmMonth, int>(async c => { await c.ExecuteAsync(gm, previous.Id, version, Ct); return 0; });
            await MailApp.UntilAsync(() => smtp.ReceivedEmailCount >= 2, "the agent's e-mail");
            var published = MailApp.Mails(smtp).Single(m => m.To.Mailboxes.Single().Address == "agent01@company.test");
            Assert.Equal($"【绩效考核】{previous.Month} 考核结果已发布 · Your {previous.Month} result is published", published.Subject);
            Assert.Contains("可在 2026-03-27 23:59 (UTC+08:00) 前（确认后 7 天内）申请复议", published.TextBody, StringComparison.Ordinal);
            Assert.Contains($"{MailApp.BaseUrl}/Pay/Payslip?month={previous.Month}&person={agent.PersonId}", published.TextBody, StringComparison.Ordinal);
            Assert.Contains("可在 2026-03-27 23:59 (UTC+08:00) 前", await HomeAsync(app, "agent01"), StringComparison.Ordinal);

            // agent01 appeals: HR is told, by e-mail and on the home page.
            await app.WithServiceAsync<FileAppeal, Appeal>(c => c.ExecuteAsync(agent, previous.Id, agent.PersonId, "销售额录入有误", Ct));
            await MailApp.UntilAsync(() => smtp.ReceivedEmailCount >= 3, "HR's e-mail");
            var appeal = MailApp.Mails(smtp).Single(m => m.To.Mailboxes.Single().Address == "hr@company.test");
            Assert.Contains($"张伟（E001） 于 2026-03-20 12:00 (UTC+08:00) 对 {previous.Month} 的考核结果申请复议", appeal.TextBody, StringComparison.Ordinal);
            Assert.Contains($"张伟（E001） 于 2026-03-20 12:00 (UTC+08:00) 对 {previous.Month}", await HomeAsync(app, "hr"), StringComparison.Ordinal);
            Assert.DoesNotContain("申请复议，请处理", await HomeAsync(app, "gm"), StringComparison.Ordinal);

            // In the open month's window the agent and the supervisor see their sheets, with the deadline in company time.
            var open = YearMonth.Parse(await app.OpenMonthAsync());
            var policy = await app.WithServiceAsync<PolicyStore, Core.Policy.PolicyDocument>(p => p.InForceAsync(open, Ct));
            var opens = WindowRules.Opens(policy, open);
            var deadline = $"{WindowRules.Deadline(policy, open):yyyy-MM-dd} 23:59 (UTC+08:00)";
            Assert.DoesNotContain("前提交您的自评", await HomeAsync(app, "agent01"), StringComparison.Ordinal);
            clock.Now = new DateTimeOffset(opens.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8));
            Assert.Contains($"请在 {deadline} 前提交您的自评", await HomeAsync(app, "agent01"), StringComparison.Ordinal);
            var team = await HomeAsync(app, "sup1");
            Assert.Contains($"请在 {deadline} 前为", team, StringComparison.Ordinal);
            Assert.Contains("张伟", team, StringComparison.Ordinal);
            Assert.DoesNotContain("前提交您的自评", await HomeAsync(app, "gm"), StringComparison.Ordinal);

            // Sending changed no data: the audit log has no entry for it; the address changes are audited.
            Assert.Equal(3, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "account.email", Ct)));
        }
        finally
        {
            await MailApp.DropAsync(key);
        }
    }

    [Fact]
    public async Task Without_an_smtp_host_nothing_is_queued_and_the_notices_still_show()
    {
        await using var app = new AppFactory();
        await app.InitializeAsync();
        Assert.False(app.Services.GetRequiredService<MailSettings>().Enabled);
        var hr = await app.WithServiceAsync<AppDbContext, string>(db => Task.FromResult(db.Users.Single(u => u.UserName == "hr").Id));
        // The administrator fills in the address on the accounts page; a wrong one is refused with what was typed.
        var admin = await app.SignInAsync("admin");
        await admin.PageAsync("/People/Accounts");
        using (var saved = await admin.PostAsync("/People/Accounts?handler=Email", ("userId", hr), ("email", " hr@company.test ")))
        {
            var page = WebUtility.HtmlDecode(await admin.FollowAsync(saved));
            Assert.Contains("电子邮箱已保存：hr@company.test", page, StringComparison.Ordinal);
            Assert.Contains("value=\"hr@company.test\"", page, StringComparison.Ordinal);
        }

        using (var refused = await admin.PostAsync("/People/Accounts?handler=Email", ("userId", hr), ("email", "林人事")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("电子邮箱「林人事」格式不正确", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        Assert.Equal("hr@company.test", await app.DbAsync(db => db.Users.Where(u => u.Id == hr).Select(u => u.Email).SingleAsync(Ct)));
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "account.email", Ct)));
        Assert.Equal(0, await app.WithServiceAsync<ScanReminders, int>(s => s.RunAsync(Ct)));
        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(Ct)));
    }

    private static async Task<string> HomeAsync(AppFactory app, string user)
    {
        var browser = await app.SignInAsync(user);
        return WebUtility.HtmlDecode(await browser.PageAsync("/"));
    }
}
