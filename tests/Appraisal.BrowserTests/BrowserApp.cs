using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// The real application on a real port (Kestrel) with a fresh SQLite file and the demo company,
/// and Debian's Chromium driven by Playwright. Shared by the tests of one class.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private readonly string dbPath = Path.Combine(Path.GetTempPath(), $"appraisal-browser-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program>? factory;
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The application's services, e.g. to add data before the browser looks.</summary>
    public IServiceProvider Services => factory?.Services ?? throw new InvalidOperationException("not started");

    /// <summary>Screenshots land here (kept after the run, for the README tour and for failures).</summary>
    /// <summary>The month the demo appraises (left open) today, China time: last month until the 6th, this month from the 7th.</summary>
    public static Appraisal.Core.Months.YearMonth AppraisedMonth => Appraisal.App.Months.WindowRules.AppraisedMonth(Appraisal.Core.Policy.DefaultPolicy.Instance,
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Shanghai")));

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("APPRAISAL_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            // Under CI nothing may be skipped: a missing browser is a failure there.
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"Chromium not found at {chromium} (set APPRAISAL_TEST_CHROMIUM).");
            }

            Assert.Skip($"Chromium not found at {chromium}");
        }

        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={dbPath}");
            b.UseSetting("Database:Provider", "Sqlite");
            b.UseSetting("Demo:Enabled", "true");
            // Any free port: the configured 127.0.0.1:5000 may be taken, and test classes run side by side.
            b.UseSetting("Urls", "http://127.0.0.1:0");
            b.UseEnvironment("Development");
        });
        factory.UseKestrel(0);
        factory.StartServer();
        BaseAddress = factory.ClientOptions.BaseAddress;

        // Warm the server up (Razor compilation, EF model, first queries) before the browser's first click:
        // under a loaded CI machine the cold first request alone can outlast a browser timeout.
        using (var warm = factory.CreateClient())
        {
            using var login = await warm.GetAsync(new Uri("/Account/Login", UriKind.Relative));
            login.EnsureSuccessStatusCode();
        }

        Assertions.SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The desktop window most tests use.</summary>
    public static ViewportSize Desktop => new() { Width = 1280, Height = 900 };

    /// <summary>A phone held upright (375 × 812 CSS pixels).</summary>
    public static ViewportSize Phone => new() { Width = 375, Height = 812 };

    /// <summary>
    /// A new browser context signed in as <paramref name="user"/>, in Chinese unless asked otherwise, at the desktop size
    /// unless <paramref name="viewport"/> says otherwise (<see cref="Phone"/> also emulates a touch screen).
    /// </summary>
    public async Task<IPage> SignInAsync(string user, string culture = "zh-CN", ViewportSize? viewport = null)
    {
        var size = viewport ?? Desktop;
        var phone = size.Width < 600;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = culture,
            ViewportSize = size,
            IsMobile = phone,
            HasTouch = phone,
        });
        // Generous timeouts: CI runs these beside the other test projects on two cores.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        if (culture != "zh-CN")
        {
            await page.GotoAsync($"/lang/{culture}?returnUrl=/Account/Login");
        }

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", "Appraisal2026");
        await page.ClickAsync("button[type=submit]");
        // Polled in the page rather than waited for as navigation events: on a busy machine Playwright now and
        // then missed the load event of the page after the redirect (network idle seen, load never) and waited
        // out the whole timeout. The page is rendered on the server, so once its document is parsed it is all there.
        await page.WaitForFunctionAsync(
            "() => !location.pathname.startsWith('/Account/Login') && document.readyState !== 'loading'",
            null,
            new() { PollingInterval = 100 });
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    /// <summary>The open month and the latest confirmed month of the demo, as the demo made them (never hard-coded).</summary>
    public async Task<(string Open, string Confirmed)> DemoMonthsAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Appraisal.App.Data.AppDbContext>();
        var months = await db.Months.AsNoTracking().Select(m => new { m.Month, m.Status }).ToListAsync();
        var open = months.Where(m => m.Status == Appraisal.App.Months.MonthStatus.Open).Max(m => m.Month)!;
        var confirmed = months.Where(m => m.Status == Appraisal.App.Months.MonthStatus.Confirmed).Max(m => m.Month)!;
        return (open, confirmed);
    }

    /// <summary>The id of the person with employee number <paramref name="employeeNo"/>.</summary>
    public async Task<int> PersonIdAsync(string employeeNo)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Appraisal.App.Data.AppDbContext>();
        return await db.People.AsNoTracking().Where(p => p.EmployeeNo == employeeNo).Select(p => p.Id).SingleAsync();
    }

    /// <summary>
    /// How far the page reaches past the right edge of the window (0 when it does not scroll sideways), with the
    /// elements that stick out, to name them when a test fails.
    /// </summary>
    public static async Task<(int Overflow, string Culprits)> SidewaysAsync(IPage page)
    {
        var result = await page.EvaluateAsync<string[]>(
            """
            () => {
              const width = document.documentElement.clientWidth;
              const over = document.documentElement.scrollWidth - width;
              const culprits = [];
              for (const e of document.querySelectorAll('body *')) {
                if (e.closest('.table-scroll') && !e.classList.contains('table-scroll')) continue;
                const r = e.getBoundingClientRect();
                if (r.right > width + 0.5 && r.width > 0) culprits.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '') + ' ' + Math.round(r.right));
                if (culprits.length >= 12) break;
              }
              return [String(over), culprits.join('; ')];
            }
            """);
        return (int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture), result[1]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
