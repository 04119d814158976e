using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Appraisal.Web.Security;

/// <summary>
/// Sign-in that cannot be used to lock someone else out (issue 7 §3). Two limits, both in memory:
/// <list type="bullet">
/// <item>per account <em>and address</em>: after <see cref="LockoutOptions.MaxFailedAccessAttempts"/> failures
/// within <see cref="LockoutOptions.DefaultLockoutTimeSpan"/> from one address, that address may not sign in to
/// that account until the time has passed. A stranger who guesses at the general manager's name locks only
/// himself out; she still signs in from her own computer. The lock belongs to the account as it was: a password
/// reset or unlock by the administrator (a new security stamp) lifts it.</item>
/// <item>per address: at most <c>SignIn:PerAddressPerMinute</c> sign-in attempts a minute, for any accounts
/// (<see cref="RateLimiterPolicy"/>): guessing across many accounts is slowed, and password hashing cannot be
/// used to load the server. Over the limit the answer is 429 with Retry-After.</item>
/// </list>
/// Identity's own lockout is not counted by failures (it would let anyone lock any account by its name); an
/// account locked in the database is still refused, with the same message as any other failure.
/// </summary>
public sealed class SignInGuard(IOptions<IdentityOptions> identity, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(string Account, string Address), Failures> failures = new();

    private int MaxFailures => identity.Value.Lockout.MaxFailedAccessAttempts;

    private TimeSpan Window => identity.Value.Lockout.DefaultLockoutTimeSpan;

    /// <summary>True when <paramref name="address"/> has failed too often on this account (as of its stamp).</summary>
    public bool IsLocked(string account, string address, string? stamp)
    {
        var now = clock.GetUtcNow();
        return failures.TryGetValue(Key(account, address), out var f) && f.Stamp == stamp && f.Since + Window > now && f.Count >= MaxFailures;
    }

    public void Failed(string account, string address, string? stamp)
    {
        var now = clock.GetUtcNow();
        if (failures.Count > PruneAbove)
        {
            foreach (var (key, old) in failures.Where(f => f.Value.Since + Window <= now).ToList())
            {
                failures.TryRemove(new KeyValuePair<(string, string), Failures>(key, old));
            }
        }

        failures.AddOrUpdate(
            Key(account, address),
            _ => new Failures(1, now, stamp),
            (_, f) => f.Since + Window <= now || f.Stamp != stamp
                ? new Failures(1, now, stamp)
                : new Failures(f.Count + 1, f.Count + 1 == MaxFailures ? now : f.Since, stamp)); // the lock lasts from the last allowed failure
    }

    public void Succeeded(string account, string address) => failures.TryRemove(Key(account, address), out _);

    /// <summary>The address a sign-in comes from (the client's, behind a configured reverse proxy).</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static (string, string) Key(string account, string address) => (account.ToUpperInvariant(), address);

    private sealed record Failures(int Count, DateTimeOffset Since, string? Stamp);

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
