using System.Threading.RateLimiting;

namespace Appraisal.Web.Security;

/// <summary>
/// The morning of the 3rd (issue 10 §1): every agent signs in within the same hour, and each sign-in checks a password
/// hash at Identity's full strength, which takes a core for a moment. At most <c>SignIn:ConcurrentPermits</c> sign-ins
/// (default: one per core) check passwords at once; up to <c>SignIn:QueueLength</c> more (default: eight per core) wait
/// their turn in arrival order; beyond that a sign-in is answered at once with "busy, try again" (429, Retry-After,
/// both languages, <see cref="Busy"/>) instead of queueing until it times out. Only the sign-in form's POST is
/// limited; saves and pages are not, so an acknowledged save is never held or refused by it. It sits beside the
/// per-address limit of <see cref="SignInGuard"/>, which is about one attacker's address, not about capacity.
/// </summary>
public static class SignInLimiter
{
    /// <summary>
    /// The capacity limit as a limiter over requests (other requests than the sign-in POST pass). It comes before the
    /// per-address limit in the global chain (AppHost): a sign-in waiting for its turn has not yet used one of its
    /// address's attempts, and one refused for capacity uses none.
    /// </summary>
    public static PartitionedRateLimiter<HttpContext> Capacity(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var limits = new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("SignIn:ConcurrentPermits", Environment.ProcessorCount)),
            QueueLimit = Math.Max(0, configuration.GetValue("SignIn:QueueLength", 8 * Environment.ProcessorCount)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        return PartitionedRateLimiter.Create<HttpContext, string>(context => SignInGuard.IsSignInAttempt(context)
            ? RateLimitPartition.GetConcurrencyLimiter("sign-in", _ => limits)
            : RateLimitPartition.GetNoLimiter(string.Empty));
    }
}
