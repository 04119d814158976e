using System.Globalization;
using System.Net;
using Appraisal.App.Localization;
using Appraisal.App.Months;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Months;

/// <summary>
/// D23: every time on screen in <c>Company:TimeZone</c>, whatever the server's zone (UTC in CI); the API in UTC. The clock
/// stands at 2026-12-05 17:30 UTC, which is already 6 December 01:30 in Shanghai but still 5 December 12:30 in New York.
/// </summary>
public sealed class CompanyTimeTests
{
    private static readonly DateTimeOffset Instant = new(2026, 12, 5, 17, 30, 0, TimeSpan.Zero);

    /// <summary>The demo company at <see cref="Instant"/> in a given company time zone (null: the default, Asia/Shanghai).</summary>
    public class ZonedApp(string? zone) : AppFactory
    {
        public FixedTimeProvider Time { get; } = new(Instant);

        protected override TimeProvider? Clock => Time;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (zone is not null)
            {
                builder.UseSetting("Company:TimeZone", zone);
            }
        }
    }

    public sealed class ShanghaiApp() : ZonedApp(null);

    public sealed class NewYorkApp() : ZonedApp("America/New_York");

    public sealed class InShanghai(ShanghaiApp app) : IClassFixture<ShanghaiApp>
    {
        [Fact]
        public Task An_adjustment_made_at_17_30_UTC_shows_at_01_30_on_the_6th() => AdjustmentTimeShownAsync(app, new DateTime(2026, 12, 6, 1, 30, 0));

        [Fact]
        public async Task The_appeal_window_ends_with_the_company_day_seven_days_after_confirmation()
        {
            var demo = await Demo.LoadAsync(app);
            var month = await ConfirmAtInstantAsync(app, demo);
            var person = demo.Id("E002");
            using var agent = await SignIn.AsAsync(app, "agent02");

            // Confirmed on 6 December company time (5 December in UTC): open until the end of 13 December in Shanghai.
            var page = Decoded(await PageAsync(agent, $"/Pay/Payslip?month={month}&person={person}"));
            Assert.Contains($"截至 {Day(2026, 12, 13, "zh-CN")} 当日结束", page, StringComparison.Ordinal);
            var api = (await agent.SendAsync("GET", $"/api/months/{month}/payslips/{person}")).AssertOk();
            Assert.Equal(new DateTimeOffset(2026, 12, 13, 16, 0, 0, TimeSpan.Zero), api.GetProperty("appealDeadline").GetDateTimeOffset());
            Assert.True(api.GetProperty("canAppeal").GetBoolean());

            // The last minute of 13 December in Shanghai is still inside; its midnight is not (signed in afresh: sessions last 8 hours).
            try
            {
                app.Time.Now = new DateTimeOffset(2026, 12, 13, 15, 59, 0, TimeSpan.Zero);
                using (var lastMinute = await SignIn.AsAsync(app, "agent02"))
                {
                    Assert.True((await lastMinute.SendAsync("GET", $"/api/months/{month}/payslips/{person}")).AssertOk().GetProperty("canAppeal").GetBoolean());
                }

                app.Time.Now = new DateTimeOffset(2026, 12, 13, 16, 0, 0, TimeSpan.Zero);
                using var late = await SignIn.AsAsync(app, "agent02");
                Assert.False((await late.SendAsync("GET", $"/api/months/{month}/payslips/{person}")).AssertOk().GetProperty("canAppeal").GetBoolean());
                var refused = await late.SendAsync("POST", $"/api/months/{month}/results/{person}/appeals", new { reason = "评分有误" });
                refused.AssertProblem(HttpStatusCode.Conflict);
                Assert.Contains($"已于 {Day(2026, 12, 13, "zh-CN")} 当日结束时截止", refused.Body.GetProperty("zh").GetString(), StringComparison.Ordinal);
            }
            finally
            {
                app.Time.Now = Instant;
            }
        }

        [Fact]
        public async Task English_pages_show_the_company_time_in_the_English_culture()
        {
            var demo = await Demo.LoadAsync(app);
            using var hr = await SignIn.AsAsync(app, "hr");
            (await hr.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = demo.Id("E004"), amount = 1234.5m, reason = "time check en" }))
                .AssertOk(HttpStatusCode.Created);
            using var english = await hr.GetAsync("/lang/en?returnUrl=/", TestContext.Current.CancellationToken);
            var page = Decoded(await PageAsync(hr, $"/Months/Facts?month={demo.Current}"));
            Assert.Contains("1,234.50", page, StringComparison.Ordinal);
            Assert.Contains("hr · " + new DateTime(2026, 12, 6, 1, 30, 0).ToString("g", CultureInfo.GetCultureInfo("en")), page, StringComparison.Ordinal);
        }
    }

    public sealed class InNewYork(NewYorkApp app) : IClassFixture<NewYorkApp>
    {
        [Fact]
        public Task An_adjustment_made_at_17_30_UTC_shows_at_12_30_on_the_5th() => AdjustmentTimeShownAsync(app, new DateTime(2026, 12, 5, 12, 30, 0));

        [Fact]
        public async Task The_appeal_window_counts_New_York_days()
        {
            var demo = await Demo.LoadAsync(app);
            var month = await ConfirmAtInstantAsync(app, demo);
            using var agent = await SignIn.AsAsync(app, "agent02");
            var page = Decoded(await PageAsync(agent, $"/Pay/Payslip?month={month}&person={demo.Id("E002")}"));
            Assert.Contains($"截至 {Day(2026, 12, 12, "zh-CN")} 当日结束", page, StringComparison.Ordinal);
            var api = (await agent.SendAsync("GET", $"/api/months/{month}/payslips/{demo.Id("E002")}")).AssertOk();
            Assert.Equal(new DateTimeOffset(2026, 12, 13, 5, 0, 0, TimeSpan.Zero), api.GetProperty("appealDeadline").GetDateTimeOffset());
        }
    }

    [Fact]
    public void Dates_money_and_numbers_follow_the_culture_and_times_the_company_zone()
    {
        var (culture, ui, zone) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, L.Zone);
        try
        {
            var at = new DateTime(2026, 12, 5, 17, 30, 0, DateTimeKind.Utc);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            L.Zone = CompanyClock.DefaultZone;
            Assert.Equal(new DateTime(2026, 12, 6, 1, 30, 0).ToString("g", CultureInfo.GetCultureInfo("en")), L.Date(at));
            Assert.StartsWith("12/6/2026", L.Date(at), StringComparison.Ordinal);
            Assert.Equal("12/13/2026", L.Date(new DateOnly(2026, 12, 13)));
            Assert.Equal("1,234.50", L.Money(1234.5m));
            Assert.Equal("85.2", L.Number(85.2m));

            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.StartsWith("2026/12/6", L.Date(at), StringComparison.Ordinal);
            Assert.Equal("—", L.Date((DateTime?)null));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, L.Zone) = (culture, ui, zone);
        }
    }

    private static async Task AdjustmentTimeShownAsync(AppFactory app, DateTime companyTime)
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = demo.Id("E003"), amount = -50m, reason = "time check" }))
            .AssertOk(HttpStatusCode.Created);
        var page = Decoded(await PageAsync(hr, $"/Months/Facts?month={demo.Current}"));
        Assert.Contains("hr · " + companyTime.ToString("g", CultureInfo.GetCultureInfo("zh-CN")), page, StringComparison.Ordinal);
        Assert.DoesNotContain("hr · " + new DateTime(2026, 12, 5, 17, 30, 0).ToString("g", CultureInfo.GetCultureInfo("zh-CN")), page, StringComparison.Ordinal);
    }

    /// <summary>The month before the open one, as if the general manager had confirmed it at <see cref="Instant"/>.</summary>
    private static async Task<string> ConfirmAtInstantAsync(AppFactory app, Demo demo)
    {
        var month = demo.Previous.ToString();
        await app.DbAsync(db => db.Months.Where(m => m.Month == month)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ConfirmedAt, Instant.UtcDateTime), TestContext.Current.CancellationToken));
        return month;
    }

    private static string Day(int year, int month, int day, string culture) =>
        new DateOnly(year, month, day).ToString("d", CultureInfo.GetCultureInfo(culture));

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.TextAsync();
    }

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);
}
