using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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

    /// <summary>A new browser context signed in as <paramref name="user"/>, in Chinese unless asked otherwise.</summary>
    public async Task<IPage> SignInAsync(string user, string culture = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = culture, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
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

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

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
