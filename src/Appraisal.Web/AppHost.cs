using System.Globalization;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Files;
using Appraisal.Web.Files;
using Appraisal.Web.Health;
using Appraisal.App.Localization;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.Web.Security;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Telemetry;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

namespace Appraisal.Web;

/// <summary>Composition of the web application: services, middleware, pages and API.</summary>
public static class AppHost
{
    /// <summary>Who may read the API's description and docs: the roles that use the API as a whole (HR, GM, admin/IT).</summary>
    public const string ApiDocsPolicy = "api-docs";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var services = builder.Services;
        builder.Logging.AddAppLogging(builder.Environment); // issue 10: JSON logs in Production (Telemetry/AppTelemetry.cs)
        services.AddSingleton(TimeProvider.System);
        services.AddAppDatabase(builder.Configuration);

        services.AddIdentity<AppUser, Microsoft.AspNetCore.Identity.IdentityRole>(AppServices.AccountRules)
            .AddEntityFrameworkStores<AppDbContext>()
            .AddClaimsPrincipalFactory<AppClaimsFactory>()
            .AddSignInManager<AppSignInManager>()
            .AddDefaultTokenProviders();

        // Every request checks the cookie against the account (sign-out, password reset, lock: SessionValidator).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<ISecurityStampValidator, SessionValidator>();
        services.AddScoped<SignInGuard>();
        services.AddSharedKeys(); // issue 10 §3: cookie and antiforgery keys in the database, shared by every instance
        services.AddRateLimiter(o =>
        {
            // Sign-in: first capacity (how many check passwords at once, issue 10 §1), then the per-address limit.
            o.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.CreateChained(
                SignInLimiter.Capacity(builder.Configuration),
                SignInGuard.RateLimiterPolicy(builder.Configuration.GetValue("SignIn:PerAddressPerMinute", 60)));
            o.AddPolicy(EvaluateApi.LimiterPolicy, EvaluateApi.Limiter(builder.Configuration));
            o.OnRejected = (rejected, ct) => Busy.RejectAsync(rejected, ct);
        });
        AddForwardedHeaders(services, builder.Configuration);
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/Denied";
            o.Cookie.Name = "appraisal.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // The API answers 401/403 instead of redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "appraisal.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = ApiWriteGuard.HeaderName;
        });
        services.AddAuthorization(o => o.AddPolicy(ApiDocsPolicy, p => p.RequireRole(Roles.Hr, Roles.GeneralManager, Roles.Admin)));

        // Chinese pages: emit characters as they are, not as &#x...; entities.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/Denied");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.ConfigureFilter(new BadQueryFilter());
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Appraisal API · 客服绩效考核 API";
            document.Info.Description = "Sign in at /Account/Login; the API uses the same cookie (401 without it, 403 when the role or D19 forbids). "
                + "Refusals are application/problem+json with title (zh), detail (en) and, for bad input, an errors array of {where, zh, en}. See docs/api.md.";
            return Task.CompletedTask;
        }));
        services.AddProblemDetails();
        // A request body or parameter that cannot be read becomes an exception, answered by UseApiReadErrors.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddApiJson();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = new[] { new CultureInfo(L.Chinese), new CultureInfo(L.English) };
            o.DefaultRequestCulture = new RequestCulture(L.Chinese);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            // Only the explicit choice (cookie) switches language: Chinese first for everyone else.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        services.AddAppCommands();
        services.AddAppTelemetry(builder.Configuration); // issue 10: OpenTelemetry by OTLP when an endpoint is set
        services.AddAppHealthChecks(); // issue 10: /health/live and /health/ready (Health/HealthApi.cs)
        App.Reminders.ReminderServices.AddReminderSender(services); // issue 9: the e-mail reminders (off without Smtp:Host)

        var app = builder.Build();

        // The Chinese font the printed forms (PDF) embed is found once at start, which says so when there is none.
        _ = app.Services.GetRequiredService<App.Files.Pdf.PdfFont>();
        if (builder.Configuration.GetValue("ForwardedHeaders:Enabled", false))
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }

        app.UseStatusAnswers();
        app.UseApiReadErrors();
        app.UseRequestLocalization();

        // D23: every time on screen in the company's zone, whatever the server's own is.
        app.Use((context, next) =>
        {
            L.Zone = context.RequestServices.GetRequiredService<CompanyClock>().Zone;
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = SecurityHeaders.MarkStatic });
        app.UseRouting();
        app.UseAuthentication();
        app.UseUserLogScope();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseApiWriteGuard();
        app.UseAntiforgery();

        app.MapRazorPages();

        // JSON API: same cookie sign-in as the pages (401/403 instead of redirects under /api); the
        // description and its browsable docs are for signed-in users only.
        app.MapEvaluateApi();
        app.MapMonthsApi();
        app.MapResultsApi();
        app.MapSheetsApi();
        app.MapPolicyApi();
        app.MapFactsApi();
        app.MapPayApi();
        app.MapDecisionsApi();
        app.MapAuditApi().MapPersonalDataApi();
        app.MapImportsApi();
        app.MapExportsApi();
        app.MapPrintApi();
        app.MapAntiforgeryApi();
        app.MapHealthApi();
        app.MapOpenApi().RequireAuthorization(ApiDocsPolicy);
        app.MapScalarApiReference(o => o.WithTitle("Appraisal API · 客服绩效考核 API")).RequireAuthorization(ApiDocsPolicy);

        app.MapGet("/lang/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = culture == L.English ? L.English : L.Chinese;
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return TypedResults.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Behind a reverse proxy (<c>ForwardedHeaders:Enabled</c>): the client's address and scheme come from
    /// X-Forwarded-For / X-Forwarded-Proto, trusted only from <c>ForwardedHeaders:KnownProxies</c> (addresses) and
    /// <c>KnownNetworks</c> (CIDR) — loopback alone when none is configured. The Host header is not taken from the
    /// proxy: it must pass AllowedHosts as it arrives.
    /// </summary>
    private static void AddForwardedHeaders(IServiceCollection services, ConfigurationManager configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>Creates or migrates the database and, when configured, the demo company.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStart>().RunAsync(app.Lifetime.ApplicationStopping);
    }

    private static Task ApiAware(HttpContext http, string redirect, int status)
    {
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            http.Response.StatusCode = status;
        }
        else
        {
            http.Response.Redirect(redirect);
        }

        return Task.CompletedTask;
    }
}
