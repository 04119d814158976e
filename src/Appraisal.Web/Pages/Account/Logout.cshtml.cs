using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Appraisal.Web.Pages.Account;

/// <summary>
/// Signing out ends the session for good: the account's security stamp changes, so a copy of the cookie taken
/// before is refused from the next request on (<see cref="Security.SessionValidator"/>), on every device.
/// </summary>
public sealed class LogoutModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Redirect("/Account/Login");
    }
}
