using System.Security.Claims;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Appraisal.Web.Security;

/// <summary>
/// Sessions end when they should (issue 7 §3): the sign-in cookie is checked against the account on every request
/// (<see cref="SecurityStampValidatorOptions.ValidationInterval"/> zero). Signing out, an administrator's password
/// reset, lock-out or unlock, and HR's change of the person's role, active mark or leaving date change the account's
/// security stamp, so every cookie issued before is refused from the next request on (401 on the API, the sign-in page
/// on pages), on every device; so is the cookie of an account that is locked or deleted, or whose person may no longer
/// sign in (<see cref="AppSignInManager.CanSignInAsync"/>: inactive, or past the leaving date). A valid cookie keeps the principal it carries (no rebuild and no new cookie per request).
/// </summary>
/// The check is one query per request (issue 10 §1): the account with its person, by key; the stamp, lock and
/// <see cref="SignInRule"/> are then decided on what it read.
public sealed class SessionValidator(
    IOptions<SecurityStampValidatorOptions> options,
    SignInManager<AppUser> signInManager,
    ILoggerFactory logger,
    AppDbContext db)
    : SecurityStampValidator<AppUser>(options, signInManager, logger)
{
    protected override async Task<AppUser?> VerifySecurityStamp(ClaimsPrincipal? principal)
    {
        var id = principal is null ? null : SignInManager.UserManager.GetUserId(principal);
        if (id is null)
        {
            return null;
        }

        // Identity's own check reads the account, and the rule of who may sign in then reads the person: one query here.
        var user = await db.Users.AsNoTracking().Include(u => u.Person).FirstOrDefaultAsync(u => u.Id == id);
        var stamp = principal!.FindFirstValue(SignInManager.Options.ClaimsIdentity.SecurityStampClaimType);
        return user is null || !await SignInManager.ValidateSecurityStampAsync(user, stamp)
            || await SignInManager.UserManager.IsLockedOutAsync(user) || !await SignInManager.CanSignInAsync(user) ? null : user;
    }

    // The base rebuilds the principal from the database and renews the cookie after each check; with a check on
    // every request that would be a second query and a new cookie on every answer. Roles change at the next sign-in:
    // a change of role renews the stamp, which ends the session.
    protected override Task SecurityStampVerified(AppUser user, CookieValidatePrincipalContext context) => Task.CompletedTask;
}
