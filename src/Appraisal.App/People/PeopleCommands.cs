using Appraisal.App.Audit;
using Appraisal.App.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>What HR enters about a person.</summary>
public sealed record PersonInput(string EmployeeNo, string Name, string Role, int? TeamId, DateOnly HireDate, DateOnly? LeaveDate, bool Active);

/// <summary>
/// HR adds or changes a person (第二条: who is customer-service staff under the policy). Leaving is a date
/// HR records; the product never sets it by itself (D13).
/// </summary>
public sealed class SavePerson(AppDbContext db, AuditLog audit, Months.CompanyClock clock)
{
    /// <summary>HR keeps the list of people (the general manager reads it; D19): the one statement of who may add or change a person.</summary>
    public static void EnsureMayEdit(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr)
        {
            throw UserError.Forbidden();
        }
    }

    public async Task<Person> ExecuteAsync(Actor actor, int? id, PersonInput input, int? expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureMayEdit(actor);

        var no = input.EmployeeNo.Trim();
        var name = input.Name.Trim();
        var problems = Problems(input).Select(p => (p.Zh, p.En)).ToList();

        if (input.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, ct))
        {
            problems.Add(("所选组别不存在", "the chosen team does not exist"));
        }

        if (await db.People.AnyAsync(p => p.EmployeeNo == no && p.Id != (id ?? 0), ct))
        {
            problems.Add(($"工号 {no} 已被使用", $"employee number {no} is already in use"));
        }

        if (problems.Count > 0)
        {
            throw new UserError(string.Join("；", problems.Select(p => p.Zh)), string.Join("; ", problems.Select(p => p.En)));
        }

        Person person;
        AuditChanges changes;
        if (id is { } existing)
        {
            person = await db.People.FindAsync([existing], ct) ?? throw UserError.NotFound();
            if (person.Version != expectedVersion)
            {
                // A save without the version read is refused too: it would overwrite whatever changed meanwhile.
                throw UserError.Conflict();
            }

            changes = await ChangesAsync(person, no, name, input, ct);
            await FollowAccountsAsync(actor, person, input, ct);
            person.EmployeeNo = no;
            person.Name = name;
            person.Role = input.Role;
        }
        else
        {
            changes = await ChangesAsync(null, no, name, input, ct);
            person = new Person { EmployeeNo = no, Name = name, Role = input.Role };
            db.People.Add(person);
        }

        person.TeamId = input.TeamId;
        person.HireDate = input.HireDate;
        person.LeaveDate = input.LeaveDate;
        person.Active = input.Active;
        // A new person's entry names them too (D25: it is part of their data), so it is written once their id exists, in the same transaction.
        // Inside a caller's transaction (the people import) the entry commits with it.
        var created = id is null;
        await using var transaction = created && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (id is not null)
        {
            audit.Record(actor.UserName, "person.update", personId: id, detail: $"{no} {name} {input.Role}", changes: changes);
        }

        // Changed meanwhile (Version), or the same employee number taken at the same moment (unique index).
        await db.SaveOrConflictAsync(ct, id is null
            ? new UserError($"工号 {no} 刚被他人使用，未保存；请刷新后换一个工号", $"employee number {no} was just taken by someone else; nothing was saved; reload and choose another", 409)
            : null);
        if (created)
        {
            audit.Record(actor.UserName, "person.create", personId: person.Id, detail: $"{no} {name} {input.Role}", changes: changes);
            await db.SaveChangesAsync(ct);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return person;
    }

    /// <summary>
    /// The person's account follows a change of their role, active mark or leaving date in the same save (issue 7 §3):
    /// its Identity role becomes the person's role (the administrator's role, never a person's, is kept), and its
    /// security stamp is renewed, so that every session of it ends at the next request — the roles a cookie carries are
    /// those of its sign-in. A person no longer active or past their leaving date cannot sign in again
    /// (<see cref="SignInRule"/>). Audited per account, old → new.
    /// </summary>
    private async Task FollowAccountsAsync(Actor actor, Person old, PersonInput input, CancellationToken ct)
    {
        if (old.Role == input.Role && old.Active == input.Active && old.LeaveDate == input.LeaveDate)
        {
            return;
        }

        var accounts = await db.Users.Where(u => u.PersonId == old.Id).ToListAsync(ct);
        if (accounts.Count == 0)
        {
            return;
        }

        var roleIds = await db.Roles.AsNoTracking().Where(r => r.Name != null && Roles.All.Contains(r.Name))
            .ToDictionaryAsync(r => r.Id, r => r.Name!, StringComparer.Ordinal, ct);
        var today = clock.Today;
        var couldSignIn = SignInRule.PersonMaySignIn(old.Active, old.LeaveDate, today);
        var canSignIn = SignInRule.PersonMaySignIn(input.Active, input.LeaveDate, today);
        var ids = accounts.Select(u => u.Id).ToList();
        var held = await db.UserRoles.Where(r => ids.Contains(r.UserId)).ToListAsync(ct);
        foreach (var user in accounts)
        {
            var mine = held.Where(r => r.UserId == user.Id && roleIds.GetValueOrDefault(r.RoleId) != Roles.Admin).ToList();
            var before = string.Join(",", mine.Select(r => roleIds.GetValueOrDefault(r.RoleId, r.RoleId)).Order(StringComparer.Ordinal));
            if (before != input.Role)
            {
                db.UserRoles.RemoveRange(mine);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds.Single(r => r.Value == input.Role).Key });
            }

            user.SecurityStamp = SignInRule.NewSecurityStamp();
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
            audit.Record(actor.UserName, "account.follow-person", personId: old.Id, detail: user.UserName,
                changes: new AuditChanges().Field("role", before.Length == 0 ? null : before, input.Role).Field("maySignIn", couldSignIn, canSignIn));
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="input"/> by itself, each with the field it is about (employeeNo, name, role,
    /// leaveDate); the page, the API and the people import check with it. The team and the uniqueness of the employee
    /// number are checked against the database by <see cref="ExecuteAsync"/>.
    /// </summary>
    public static List<(string Field, string Zh, string En)> Problems(PersonInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new List<(string Field, string Zh, string En)>();
        if (input.EmployeeNo.Trim().Length is 0 or > 32)
        {
            problems.Add(("employeeNo", "工号须为 1–32 个字符", "the employee number must have 1–32 characters"));
        }

        if (input.Name.Trim().Length is 0 or > 100)
        {
            problems.Add(("name", "姓名须为 1–100 个字符", "the name must have 1–100 characters"));
        }

        if (!Roles.All.Contains(input.Role) || input.Role == Roles.Admin)
        {
            problems.Add(("role", $"角色“{input.Role}”无效", $"role \"{input.Role}\" is not valid"));
        }

        if (input.LeaveDate is { } left && left < input.HireDate)
        {
            problems.Add(("leaveDate", "离职日期不能早于入职日期", "the leaving date cannot be before the hiring date"));
        }

        return problems;
    }

    /// <summary>What the save replaces, old → new (D25), with teams by name.</summary>
    private async Task<AuditChanges> ChangesAsync(Person? old, string no, string name, PersonInput input, CancellationToken ct)
    {
        var teamIds = new[] { old?.TeamId, input.TeamId }.OfType<int>().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        string? Team(int? teamId) => teamId is { } t ? teams.GetValueOrDefault(t) : null;
        return new AuditChanges().Field("employeeNo", old?.EmployeeNo, no).Field("name", old?.Name, name).Field("role", old?.Role, input.Role)
            .Field("team", Team(old?.TeamId), Team(input.TeamId)).Field("hireDate", old?.HireDate, input.HireDate)
            .Field("leaveDate", old?.LeaveDate, input.LeaveDate).Field("active", old?.Active, input.Active);
    }
}

/// <summary>The administrator manages sign-in accounts: create one for a person, reset a password, lock out, unlock (issue: accounts; issue 7 §3).</summary>
public sealed class ManageAccounts(AppDbContext db, UserManager<AppUser> users, AuditLog audit, Months.CompanyClock clock)
{
    public async Task CreateAsync(Actor actor, string userName, string password, string employeeNo, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var person = await db.People.FirstOrDefaultAsync(p => p.EmployeeNo == employeeNo.Trim(), ct)
            ?? throw new UserError($"工号 {employeeNo} 不存在", $"no person with employee number {employeeNo}");
        if (await db.Users.AnyAsync(u => u.PersonId == person.Id, ct))
        {
            throw new UserError($"{person.Name} 已有账户", $"{person.Name} already has an account", 409);
        }

        var user = new AppUser { UserName = userName.Trim(), PersonId = person.Id };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, person.Role));
        audit.Record(actor.UserName, "account.create", personId: person.Id, detail: user.UserName);
        await db.SaveChangesAsync(ct);
    }

    public async Task ResetPasswordAsync(Actor actor, string userId, string password, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var user = await users.FindByIdAsync(userId) ?? throw UserError.NotFound();
        var token = await users.GeneratePasswordResetTokenAsync(user);

        // Identity gives the account a new security stamp here: every session of it ends (issue 7 §3).
        Check(await users.ResetPasswordAsync(user, token, password));
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        audit.Record(actor.UserName, "account.reset-password", personId: user.PersonId, detail: user.UserName);
        await db.SaveChangesAsync(ct);
    }

    public async Task UnlockAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var user = await users.FindByIdAsync(userId) ?? throw UserError.NotFound();
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));

        // A new security stamp: sign-in locks of the old account state lift, and its sessions end (issue 7 §3).
        Check(await users.UpdateSecurityStampAsync(user));
        audit.Record(actor.UserName, "account.unlock", personId: user.PersonId, detail: user.UserName);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Locks an account out (停用) until the administrator unlocks it: its security stamp is renewed in the same save,
    /// so every session of it ends at the next request (401 on the API, the sign-in page on pages), and sign-in is
    /// refused with the one message of every failed sign-in. Refused for the administrator's own account and for the
    /// last administrator who could still sign in. <paramref name="version"/> is the account's concurrency stamp as read
    /// (the page's hidden field): an account changed meanwhile is not locked (409).
    /// </summary>
    /// <returns>The account's user name.</returns>
    public async Task<string> LockAsync(Actor actor, string userId, string? version, CancellationToken ct = default)
    {
        EnsureAdmin(actor);
        var user = await users.FindByIdAsync(userId) ?? throw UserError.NotFound();
        if (user.ConcurrencyStamp != version)
        {
            throw UserError.Conflict();
        }

        if (string.Equals(user.NormalizedUserName, users.NormalizeName(actor.UserName), StringComparison.Ordinal))
        {
            throw new UserError("不能停用自己的账户：请由另一位管理员操作", "you cannot lock out your own account; another administrator can", 409);
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) && !await AnotherAdministratorRemainsAsync(user, ct))
        {
            throw new UserError("这是最后一个可以登录的管理员账户，不能停用：请先为另一位管理员创建账户", "this is the last administrator account that can sign in, so it cannot be locked out; create another administrator's account first", 409);
        }

        var wasLocked = SignInRule.IsLockedForGood(user.LockoutEnd);
        user.LockoutEnabled = true;
        user.LockoutEnd = SignInRule.LockedForGood;
        audit.Record(actor.UserName, "account.lock", personId: user.PersonId, detail: user.UserName,
            changes: [new Audit.AuditChange("locked", wasLocked ? "true" : "false", "true")]);

        // One save: the lock, the new stamp and the audit entry (Identity saves the context, the entry included).
        Check(await users.UpdateSecurityStampAsync(user));
        return user.UserName ?? userId;
    }

    private async Task<bool> AnotherAdministratorRemainsAsync(AppUser user, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var others = (await users.GetUsersInRoleAsync(Roles.Admin)).Where(u => u.Id != user.Id).ToList();
        foreach (var other in others)
        {
            if (!(other.LockoutEnabled && other.LockoutEnd is { } end && end.UtcDateTime > now) && await SignInRule.PersonMaySignInAsync(db, other, clock.Today, ct))
            {
                return true;
            }
        }

        return false;
    }

    public const int MaxEmailLength = 256;

    /// <summary>
    /// Who may set an account's e-mail address: the administrator (the accounts page) and HR, who keeps people's
    /// details (the people import's 邮箱 column). Passwords, lock-outs and the accounts themselves stay the administrator's.
    /// </summary>
    public static bool MaySetEmail(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsHr;
    }

    /// <summary>An address as stored: trimmed, null when empty.</summary>
    public static string? NormalEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim();

    /// <summary>What is wrong with an address (<see cref="NormalEmail"/> first), or null: the one rule of the accounts page and the people import.</summary>
    public static (string Zh, string En)? EmailProblem(string? text) =>
        text is not null && (text.Length > MaxEmailLength || !MimeKit.MailboxAddress.TryParse(text, out var parsed) || parsed.Address != text || !text.Contains('@', StringComparison.Ordinal))
            ? ($"电子邮箱「{text}」格式不正确（例如 zhang.wei@example.com）", $"the e-mail address \"{text}\" is not valid (e.g. zhang.wei@example.com)")
            : null;

    /// <summary>Sets or clears an account's e-mail address, where the reminders go (issue 9); audited old → new.</summary>
    public async Task SetEmailAsync(Actor actor, string userId, string? email, CancellationToken ct = default)
    {
        if (!MaySetEmail(actor))
        {
            throw UserError.Forbidden();
        }

        var user = await users.FindByIdAsync(userId) ?? throw UserError.NotFound();
        var text = NormalEmail(email);
        if (EmailProblem(text) is { } problem)
        {
            throw new UserError(problem.Zh, problem.En);
        }

        var old = user.Email;
        if (old == text)
        {
            return;
        }

        Check(await users.SetEmailAsync(user, text));
        audit.Record(actor.UserName, "account.email", personId: user.PersonId, detail: user.UserName,
            changes: [new Audit.AuditChange("email", old, text)]);
        await db.SaveChangesAsync(ct);
    }

    private static void EnsureAdmin(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            throw UserError.Forbidden();
        }
    }

    // Identity's messages are English; the user still learns what was wrong (e.g. the password rules).
    private static void Check(IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw UserError.Conflict();
        }

        if (!result.Succeeded)
        {
            var text = string.Join("; ", result.Errors.Select(e => e.Description));
            throw new UserError($"账户操作未完成：{text}", $"the account change was not made: {text}");
        }
    }
}
