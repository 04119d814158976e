using System.Threading.RateLimiting;
using Appraisal.App.Data;
using Appraisal.App.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Appraisal.Web.Security;

/// <summary>
/// Sign-in that cannot be used to lock someone else out (issue 7 §3). Two limits:
/// <list type="bullet">
/// <item>per account <em>and address</em>: after <see cref="LockoutOptions.MaxFailedAccessAttempts"/> failures
/// within <see cref="LockoutOptions.DefaultLockoutTimeSpan"/> from one address, that address may not sign in to
/// that account until the time has passed. A stranger who guesses at the general manager's name locks only
/// himself out; she still signs in from her own computer. The lock belongs to the account as it was: a password
/// reset or unlock by the administrator (a new security stamp) lifts it. The failures are counted in the database
/// (<see cref="SignInFailure"/>, one conditional update per failure), so that every instance of the application
/// counts the same ones (issue 10 §3).</item>
/// <item>per address: at most <c>SignIn:PerAddressPerMinute</c> sign-in attempts a minute, for any accounts
/// (<see cref="RateLimiterPolicy"/>): guessing across many accounts is slowed, and password hashing cannot be
/// used to load the server. Over the limit the answer is 429 with Retry-After. This limit is each instance's own
/// (in memory): it protects that instance's processors, and guessing is bounded by the shared lock above.</item>
/// </list>
/// Identity's own lockout is not counted by failures (it would let anyone lock any account by its name); an
/// account locked in the database is still refused, with the same message as any other failure.
/// </summary>
public sealed class SignInGuard(AppDbContext db, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    private int MaxFailures => identity.Value.Lockout.MaxFailedAccessAttempts;

    private TimeSpan Window => identity.Value.Lockout.DefaultLockoutTimeSpan;

    /// <summary>True when <paramref name="address"/> has failed too often on this account (as of its stamp).</summary>
    public Task<bool> IsLockedAsync(string account, string address, string? stamp, CancellationToken ct)
    {
        var (name, from) = Key(account, address);
        var counting = clock.GetUtcNow().UtcDateTime - Window;
        var max = MaxFailures;
        return db.SignInFailures.AnyAsync(f => f.Account == name && f.Address == from && f.Stamp == stamp && f.Since > counting && f.Count >= max, ct);
    }

    /// <summary>
    /// Counts one failure. Each step is one statement, so that failures arriving together at several instances are
    /// all counted: one more on a row still counting for this stamp; else a row of another stamp or time starts again
    /// at one; else a new row (a row inserted meanwhile by another instance is counted on in the next round).
    /// </summary>
    public async Task FailedAsync(string account, string address, string? stamp, CancellationToken ct)
    {
        var (name, from) = Key(account, address);
        var now = clock.GetUtcNow().UtcDateTime;
        var counting = now - Window;
        var max = MaxFailures;
        await db.SignInFailures.Where(f => f.Since <= counting).ExecuteDeleteAsync(ct);
        var mine = db.SignInFailures.Where(f => f.Account == name && f.Address == from);
        for (var round = 0; round < 3; round++)
        {
            // The lock lasts from the last allowed failure.
            if (await mine.Where(f => f.Stamp == stamp && f.Since > counting)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Count, f => f.Count + 1).SetProperty(f => f.Since, f => f.Count + 1 == max ? now : f.Since), ct) > 0)
            {
                return;
            }

            if (await mine.Where(f => f.Stamp != stamp || f.Since <= counting)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Count, 1).SetProperty(f => f.Since, now).SetProperty(f => f.Stamp, stamp), ct) > 0)
            {
                return;
            }

            // The same statement on SQLite and PostgreSQL.
            if (await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO \"SignInFailures\" (\"Account\", \"Address\", \"Count\", \"Since\", \"Stamp\") VALUES ({name}, {from}, 1, {now}, {stamp}) ON CONFLICT DO NOTHING", ct) > 0)
            {
                return;
            }
        }
    }

    /// <summary>Forgets the address's failures on this account; writes nothing when there are none (a sign-in is then a read only).</summary>
    public async Task SucceededAsync(string account, string address, CancellationToken ct)
    {
        var (name, from) = Key(account, address);
        var mine = db.SignInFailures.Where(f => f.Account == name && f.Address == from);
        if (await mine.AnyAsync(ct))
        {
            await mine.ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>The address a sign-in comes from (the client's, behind a configured reverse proxy).</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static (string Name, string From) Key(string account, string address) =>
        (Cut(account.ToUpperInvariant(), SignInFailure.MaxAccountLength), Cut(address, SignInFailure.MaxAddressLength));

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>The sign-in form's POST, the only request the per-address limit counts.</summary>
    public static bool IsSignInAttempt(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase);

    /// <summary>The per-address limit of sign-in attempts, as the global limiter (other requests are not limited by it).</summary>
    public static PartitionedRateLimiter<HttpContext> RateLimiterPolicy(int perMinute) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInAttempt(context)
            ? RateLimitPartition.GetSlidingWindowLimiter(AddressOf(context), _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(string.Empty));
}

/// <summary>The "busy, try again" answer of every rate or concurrency limit: 429, Retry-After, both languages.</summary>
public static class Busy
{
    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var zh = $"服务器繁忙：请求过多，请 {seconds} 秒后重试";
        var en = $"the server is busy: too many requests; try again in {seconds} s";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await ApiProblems.From(new UserError(zh, en, StatusCodes.Status429TooManyRequests)).ExecuteAsync(context);
        }
        else
        {
            // A page a person can read (e.g. after pressing 登录 on the morning of the 3rd), with the way back.
            var back = HttpMethods.IsGet(context.Request.Method) ? context.Request.Path.Value ?? "/" : "/Account/Login";
            var encoder = context.RequestServices.GetRequiredService<System.Text.Encodings.Web.HtmlEncoder>();
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"/css/site.css\"><title>服务器繁忙 · Server busy</title></head><body><main>"
                + $"<h1>服务器繁忙 <span lang=\"en\">· Server busy</span></h1><p role=\"alert\">{encoder.Encode(zh)}</p><p lang=\"en\">{encoder.Encode(en)}</p>"
                + $"<p><a href=\"{encoder.Encode(back)}\">返回重试 <span lang=\"en\">· Back, to try again</span></a></p></main></body></html>\n",
                ct);
        }
    }
}
