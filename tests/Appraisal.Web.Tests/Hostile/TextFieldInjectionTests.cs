using System.Net;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Hostile;

/// <summary>
/// SQL and HTML in every free-text field a user can fill: the text is an ordinary value — stored exactly as typed,
/// the tables untouched by the SQL in it — and every page that shows it shows it as text, never as markup.
/// </summary>
public sealed class TextFieldInjectionTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>Markup and SQL together, short enough for every field's limit.</summary>
    private const string Payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>'; DROP TABLE \"People\"; --";

    private const string Escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

    [Fact]
    public async Task Hostile_text_in_every_field_is_stored_as_typed_and_shown_as_text()
    {
        var demo = await Demo.LoadAsync(app);
        var month = demo.Current.ToString();
        var e001 = demo.Id("E001");

        await app.ConfirmedAnHourAgoAsync(demo.Previous.ToString());
        using var agent = await SignIn.AsAsync(app, "agent01");
        var items = new[] { new { itemKey = "discipline", levelIndex = 0, score = 5, comment = Payload } };
        (await agent.SendAsync("PUT", $"/api/months/{month}/sheets/{e001}/self", new { items, comment = Payload, submit = false, version = (int?)null })).AssertOk();
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{e001}/appeals", new { reason = Payload })).AssertOk(HttpStatusCode.Created);

        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("PUT", $"/api/months/{month}/facts", new
        {
            rows = new[] { new { personId = e001, salesPlan = 1000m, salesActual = 900m, absentDays = 0, eligibility = "include", overrideReason = Payload, version = (int?)null } },
        })).AssertOk();
        (await hr.SendAsync("POST", $"/api/months/{month}/adjustments", new { person = e001, amount = 10m, reason = Payload })).AssertOk(HttpStatusCode.Created);
        (await hr.SendAsync("POST", $"/api/months/{month}/extensions", new { person = e001, until = demo.Next.FirstDay.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason = Payload }))
            .AssertOk(HttpStatusCode.Created);

        using var sup = await SignIn.AsAsync(app, "sup1");
        (await sup.SendAsync("PUT", $"/api/months/{month}/talks/{e001}", new { date = app.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), notes = Payload, version = (int?)null }))
            .AssertOk();

        // Stored exactly as typed, and the SQL in it did nothing.
        var stored = await app.DbAsync(async db => new[]
        {
            (await db.Sheets.Include(s => s.Items).SingleAsync(s => s.PersonId == e001 && s.Month!.Month == month && s.Kind == Appraisal.App.Sheets.SheetKind.Self)).Comment,
            (await db.Sheets.Include(s => s.Items).SingleAsync(s => s.PersonId == e001 && s.Month!.Month == month && s.Kind == Appraisal.App.Sheets.SheetKind.Self)).Items.Single().Comment,
            (await db.Facts.SingleAsync(f => f.PersonId == e001 && f.Month!.Month == month)).OverrideReason,
            (await db.PayAdjustments.Where(a => a.PersonId == e001).OrderBy(a => a.Id).LastAsync()).Reason,
            (await db.WindowExtensions.Where(x => x.PersonId == e001).OrderBy(x => x.Id).LastAsync()).Reason,
            (await db.FeedbackTalks.SingleAsync(t => t.PersonId == e001 && t.MonthId == db.Months.Single(m => m.Month == month).Id)).Notes,
            (await db.Appeals.Where(a => a.PersonId == e001).OrderBy(a => a.Id).LastAsync()).Reason,
        });
        Assert.All(stored, s => Assert.Equal(Payload, s));
        Assert.True(await app.DbAsync(db => db.People.CountAsync()) > 12);

        // Shown as text wherever it appears.
        await AssertShownAsTextAsync(agent, $"/Sheets/Edit?month={month}&person={e001}&kind=Self");
        await AssertShownAsTextAsync(hr, $"/Months/Facts?month={month}");
        await AssertShownAsTextAsync(hr, "/Results/Appeals");
        await AssertShownAsTextAsync(sup, $"/Months/Team?month={month}");
    }

    [Fact]
    public async Task A_person_named_with_markup_is_shown_as_text_on_every_list()
    {
        using var hr = await Browser.SignInAsync(app, "hr", SignIn.Password);
        await hr.PageAsync("/People/Edit");
        using var saved = await hr.PostAsync("/People/Edit",
            ("EmployeeNo", "E990"), ("Name", Payload[..40]), ("Role", "Agent"), ("HireDate", "2026-01-01"), ("Active", "true"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(Payload[..40], await app.DbAsync(db => db.People.Where(p => p.EmployeeNo == "E990").Select(p => p.Name).SingleAsync()));
        await AssertShownAsTextAsync(hr.Client, "/People", Payload[..40]);
        await AssertShownAsTextAsync(hr.Client, $"/Months/Facts?month={(await Demo.LoadAsync(app)).Current}", Payload[..40]);
    }

    private static async Task AssertShownAsTextAsync(HttpClient client, string page, string text = Payload)
    {
        using var response = await client.GetAsync(new Uri(page, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.TextAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.True(html.Contains(Escaped, StringComparison.Ordinal) || !text.Contains("<script>", StringComparison.Ordinal),
            $"{page} does not show the text (escaped) at all");
    }
}
