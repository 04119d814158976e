using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Appraisal.Web.Security;

/// <summary>
/// Identity's sign-in with the product's rule of who may be signed in (<see cref="SignInRule"/>): an account whose
/// person is no longer active or has left is refused at sign-in (with the one message of every failure, the sign-in
/// page) and its existing sessions at the next request (<see cref="SessionValidator"/>).
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    AppDbContext db,
    CompanyClock clock)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        await base.CanSignInAsync(user) && await SignInRule.PersonMaySignInAsync(db, user, clock.Today);
}
