using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.Bench;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static Appraisal.Web.Tests.Reliability.ProcessCalls;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// Issue 10 §3, several instances over one database: two processes of the real application on two ports, started
/// together over a database nobody has made yet (on PostgreSQL one that does not exist; on SQLite a file that does
/// not, which two processes on one machine may share). Both come up, the migrations and the seed are applied once,
/// and one key protects both. A session signed in on one continues on the other with the same cookie (a page, a form
/// POST with a token from the other's page, an API PUT with the other's API token), both save, failed sign-ins
/// counted on both lock the address out on both, and while one is held in the middle of a compute (inside its
/// transaction, by the test hook) the other serves sign-in, pages and the API; the compute then completes.
/// </summary>
public sealed class TwoInstancesTests
{
    private const int Agents = 300;

    [Fact]
    public async Task Two_instances_start_together_share_sessions_and_locks_and_one_serves_while_the_other_computes()
    {
        await using var database = new ProcessDatabase();
        var resume = Path.Combine(Path.GetTempPath(), $"appraisal-resume-{Guid.NewGuid():N}");
        var computing = database.Settings();
        // The compute's first write of results (the migrations' backfills update results: they must not match).
        computing["Testing:PauseAfterSql"] = "(DELETE FROM|INSERT INTO) \"Results\"";
        computing["Testing:ResumeFile"] = resume;
        try
        {
            using var a = AppProcess.Start(computing);
            using var b = AppProcess.Start(database.Settings());
            await Task.WhenAll(a.WaitReadyAsync(Patience), b.WaitReadyAsync(Patience));
            Assert.True(Errors(a).Length + Errors(b).Length == 0, $"errors in the logs of the start:\n{Errors(a)}\n{Errors(b)}");
            Assert.Equal(MigrationCount, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(Roles.All.Length, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"AspNetRoles\""));
            Assert.Equal(1, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"AspNetUsers\""));
            Assert.Equal(1, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"PolicyVersions\""));
            Assert.Equal(1, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"DataProtectionKeys\""));

            await database.SeedAsync(Month, Agents, compute: false);
            var facts = await database.RowsAsync(
                $"SELECT f.\"PersonId\", f.\"SalesPlan\", f.\"SalesActual\", f.\"AbsentDays\", f.\"Version\" FROM \"Facts\" f JOIN \"Months\" m ON m.\"Id\" = f.\"MonthId\" WHERE m.\"Month\" = '{Month}' ORDER BY f.\"PersonId\" LIMIT 2");

            // Signed in on A; the same cookies on B.
            var jarA = new CookieContainer();
            using var hrA = Client(a, jarA);
            await BenchCompany.SignInAsync(hrA, "hr", ProcessDatabase.Password);
            var jarB = new CookieContainer();
            foreach (Cookie cookie in jarA.GetCookies(a.Address))
            {
                jarB.Add(b.Address, new Cookie(cookie.Name, cookie.Value, "/"));
            }

            using var hrB = Client(b, jarB);
            var factsPage = $"/Months/Facts?month={Month}";
            using (var page = await hrB.GetAsync(new Uri(factsPage, UriKind.Relative), TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            // A form POST on B with the token of A's page: a save on B.
            var first = facts[0].Split('|');
            var tokenOfA = await PageForms.TokenAsync(hrA, factsPage);
            using (var save = await PageForms.PostAsync(hrB, $"{factsPage}&handler=Save",
                       PageForms.FactsRow(0, int.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture), first[1], "123456.78", first[3], int.Parse(first[4], System.Globalization.CultureInfo.InvariantCulture)), tokenOfA))
            {
                Assert.True(save.StatusCode == HttpStatusCode.Redirect, $"{(int)save.StatusCode} {Html.Error(await save.TextAsync())}");
            }

            // An API PUT on A with B's API token: a save on A.
            var second = (await FactsRowsAsync(hrA)).Single(r => r.GetProperty("personId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) == facts[1].Split('|')[0]);
            using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/months/{Month}/facts", UriKind.Relative)))
            {
                using var token = JsonDocument.Parse(await hrB.GetStringAsync(new Uri("/api/antiforgery", UriKind.Relative), TestContext.Current.CancellationToken));
                put.Headers.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
                put.Content = JsonContent.Create(new { rows = new[] { Raised(second, 1) } });
                using var saved = await hrA.SendAsync(put, TestContext.Current.CancellationToken);
                Assert.True(saved.StatusCode == HttpStatusCode.OK, $"{(int)saved.StatusCode} {await saved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            }

            var after = await database.RowsAsync(
                $"SELECT f.\"SalesActual\" FROM \"Facts\" f JOIN \"Months\" m ON m.\"Id\" = f.\"MonthId\" WHERE m.\"Month\" = '{Month}' ORDER BY f.\"PersonId\" LIMIT 2");
            Assert.Equal(123456.78m, decimal.Parse(after[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(second.GetProperty("salesActual").GetDecimal() + 1, decimal.Parse(after[1], System.Globalization.CultureInfo.InvariantCulture));

            // Failed sign-ins to one account from one address, some on each instance, lock that address out on both.
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(Refused, await SignInAsync(i % 2 == 0 ? a : b, "admin", "not-the-password"));
            }

            foreach (var app in new[] { a, b })
            {
                Assert.Equal(Refused, await SignInAsync(app, "admin", ProcessDatabase.Password));
            }

            // A computes, held inside its transaction after its first write of results; B serves meanwhile.
            using (var token = JsonDocument.Parse(await hrA.GetStringAsync(new Uri("/api/antiforgery", UriKind.Relative), TestContext.Current.CancellationToken)))
            {
                hrA.DefaultRequestHeaders.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
            }

            var inFlight = ComputeAsync(hrA);
            var paused = a.WaitForLineAsync(App.Data.PauseAfterCommand.Marker, Patience);
            if (await Task.WhenAny(paused, inFlight) == inFlight)
            {
                Assert.Fail($"the compute ended before the hook held it: {await inFlight}\n{a.Output}");
            }

            await paused;
            var jarGm = new CookieContainer();
            using var gmB = Client(b, jarGm);
            var gmSignIn = await SignInAsync(b, "gm", ProcessDatabase.Password, jarGm);
            Assert.True(gmSignIn == SignedIn, "B's sign-in during A's compute: " + gmSignIn);
            foreach (var (client, path) in new[] { (gmB, "/"), (hrB, "/"), (hrB, "/api/months"), (gmB, "/api/months") })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"B during A's compute: {path} {(int)response.StatusCode}");
            }

            Assert.False(inFlight.IsCompleted, "the compute on A ended before B had served: nothing ran during it");
            await File.WriteAllTextAsync(resume, "go", TestContext.Current.CancellationToken);
            Assert.StartsWith("200 ", await inFlight, StringComparison.Ordinal);
            Assert.Equal(Agents, await database.ScalarAsync<long>(
                $"SELECT COUNT(*) FROM \"Results\" r JOIN \"Months\" m ON m.\"Id\" = r.\"MonthId\" WHERE m.\"Month\" = '{Month}'"));
            using (var results = await hrB.GetAsync(new Uri($"/api/months/{Month}/results", UriKind.Relative), TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, results.StatusCode);
            }

            Assert.True(Errors(a).Length + Errors(b).Length == 0, $"errors in the logs:\n{Errors(a)}\n{Errors(b)}");
        }
        finally
        {
            File.Delete(resume);
        }
    }

    private const string SignedIn = "302";

    private const string Refused = "200 用户名或密码不正确";

    /// <summary>The sign-in form as a browser posts it: "302" when signed in, "200 …" and the page's error when refused, else the status and the log.</summary>
    private static async Task<string> SignInAsync(AppProcess app, string user, string password, CookieContainer? jar = null)
    {
        using var client = Client(app, jar ?? new CookieContainer());
        using var response = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login",
            new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password });
        var error = Html.Error(await response.TextAsync());
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect => SignedIn,
            HttpStatusCode.OK when error is not null => "200 " + error[..Math.Min(error.Length, 9)],
            _ => $"{(int)response.StatusCode} {Html.MainContent(await response.TextAsync())}\n{app.Output[^Math.Min(app.Output.Length, 6000)..]}",
        };
    }

    /// <summary>The migrations of this run's provider, as built.</summary>
    private static int MigrationCount => typeof(AppDbContext).Assembly.GetTypes().Count(t =>
        t.Namespace == $"Appraisal.App.Data.Migrations.{(AppFactory.OnPostgres ? "Postgres" : "Sqlite")}" && typeof(Migration).IsAssignableFrom(t));

    /// <summary>
    /// Error and critical log entries (the console's plain and JSON formats), each with the lines that follow it. EF Core's
    /// own read of a migration history table that does not exist yet (the first migration of an empty PostgreSQL
    /// database, which it then creates) is logged as a failed command and is not an error of the start.
    /// </summary>
    private static string Errors(AppProcess app)
    {
        var lines = app.Output.Split('\n');
        return string.Join('\n', lines.Select((line, i) => (line, entry: string.Join(' ', lines.Skip(i).Take(4))))
            .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal)
                || l.line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)
                || l.line.Contains("Unhandled exception", StringComparison.Ordinal))
            .Where(l => !IsHistoryProbe(l.entry.Replace("\\u0022", "\"", StringComparison.Ordinal)))
            .Select(l => l.entry));
    }

    /// <summary>EF Core's read of the migration history table, in the plain format or the JSON one (quotes as \u0022).</summary>
    private static bool IsHistoryProbe(string entry) =>
        entry.Contains("SELECT \"MigrationId\", \"ProductVersion\"", StringComparison.Ordinal) && entry.Contains("FROM \"__EFMigrationsHistory\"", StringComparison.Ordinal);

    private static async Task<string> ComputeAsync(HttpClient hr)
    {
        using var response = await hr.PostAsync(new Uri($"/api/months/{Month}/compute", UriKind.Relative), null);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>A client of <paramref name="app"/> with its own cookie jar and the Origin a browser sends there.</summary>
    private static HttpClient Client(AppProcess app, CookieContainer jar)
    {
#pragma warning disable CA2000 // The client owns the handler.
        var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }, disposeHandler: true)
        {
            BaseAddress = app.Address,
            Timeout = Patience,
        };
#pragma warning restore CA2000
        client.DefaultRequestHeaders.Add("Origin", app.Address.GetLeftPart(UriPartial.Authority));
        return client;
    }
}
