using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Account;

/// <summary>
/// Sign-in that gives nothing away (issue 7 §3): an unknown user, a wrong password, a locked account and the account
/// of a person who is inactive or has left (<see cref="AppSignInManager"/>) get the same message after the same work (a password hash is checked in every case), and failures lock only the
/// address they come from (<see cref="SignInGuard"/>). At most a few sign-ins check passwords at once; beyond the queue
/// the answer is "busy, try again" (<see cref="SignInLimiter"/>, issue 10 §1).
/// </summary>
public sealed class LoginModel(SignInManager<AppUser> signIn, SignInGuard guard) : PageModel
{
    // Checked against when there is no account to check against, so that "no such user" costs what a wrong password costs.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>The one answer to every failed sign-in, whatever the reason.</summary>
    public static string Failure => T(
        "用户名或密码不正确。同一台电脑连续多次失败后将暂停登录 15 分钟；忘记密码请联系管理员重置。",
        "Wrong user name or password. After several failures from one computer, sign-in pauses there for 15 minutes; if you forgot your password, ask the administrator to reset it.");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var name = (UserName ?? string.Empty).Trim();
        var password = Password ?? string.Empty;
        var address = SignInGuard.AddressOf(HttpContext);
        var user = name.Length == 0 ? null : await signIn.UserManager.FindByNameAsync(name);
        var stamp = user?.SecurityStamp;
        if (user is null || await guard.IsLockedAsync(name, address, stamp, HttpContext.RequestAborted) || await signIn.UserManager.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(user ?? new AppUser(), DummyHash.Value, password);
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
            if (result.Succeeded)
            {
                await guard.SucceededAsync(name, address, HttpContext.RequestAborted);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            }
        }

        await guard.FailedAsync(name, address, stamp, HttpContext.RequestAborted);
        Error = Failure;
        return Page();
    }
}
