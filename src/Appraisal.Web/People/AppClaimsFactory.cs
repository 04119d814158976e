using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Appraisal.App.People;

namespace Appraisal.Web.People;

/// <summary>Puts the person id into the sign-in cookie so that access checks need no extra query.</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        if (user.PersonId is { } id)
        {
            identity.AddClaim(new Claim(Actor.PersonIdClaim, id.ToString(CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
