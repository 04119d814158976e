using System.Security.Claims;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>The signed-in user as the rules see them: their person (if any) and roles.</summary>
public sealed record Actor(string UserName, int? PersonId, IReadOnlySet<string> Roles)
{
    public const string PersonIdClaim = "appraisal:person";

    public bool IsHr => Roles.Contains(People.Roles.Hr);

    public bool IsGeneralManager => Roles.Contains(People.Roles.GeneralManager);

    public bool IsSupervisor => Roles.Contains(People.Roles.Supervisor);

    public bool IsAgent => Roles.Contains(People.Roles.Agent);

    public bool IsAdmin => Roles.Contains(People.Roles.Admin);

    /// <summary>HR and the general manager see everyone (D19).</summary>
    public bool SeesEveryone => IsHr || IsGeneralManager;

    /// <summary>How minimal-API endpoints bind the signed-in user: a parameter <c>Actor actor</c>.</summary>
    public static ValueTask<Actor?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Actor?>(From(context.User));
    }

    public static Actor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var person = int.TryParse(user.FindFirstValue(PersonIdClaim), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        return new Actor(user.Identity?.Name ?? "?", person, roles);
    }
}

/// <summary>
/// Row-level access of D19: an employee sees only themselves, a supervisor their team (and
/// themselves), HR and the general manager everyone. Every page and endpoint asks here.
/// </summary>
public sealed class Access(AppDbContext db)
{
    /// <summary>The ids of the people <paramref name="actor"/> may see, or null for everyone.</summary>
    public async Task<HashSet<int>?> VisiblePeopleAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.SeesEveryone)
        {
            return null;
        }

        var ids = new HashSet<int>();
        if (actor.PersonId is { } self)
        {
            ids.Add(self);
            if (actor.IsSupervisor)
            {
                var team = await db.People.Where(p => p.Team != null && p.Team.SupervisorId == self).Select(p => p.Id).ToListAsync(ct);
                ids.UnionWith(team);
            }
        }

        return ids;
    }

    public async Task<bool> CanSeeAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        var visible = await VisiblePeopleAsync(actor, ct);
        return visible is null || visible.Contains(personId);
    }

    /// <summary>True when <paramref name="actor"/> is the supervisor of <paramref name="personId"/>'s team.</summary>
    public async Task<bool> SupervisesAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsSupervisor && actor.PersonId is { } self
            && await db.People.AnyAsync(p => p.Id == personId && p.Team != null && p.Team.SupervisorId == self, ct);
    }
}
