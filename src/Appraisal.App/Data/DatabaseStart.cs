using Appraisal.Core.Policy;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Data;

/// <summary>
/// Every start: migrate the database, create the roles, the administrator (from configuration; with the demo's
/// password only when demo data is on and no <c>Admin:Password</c> is set), the default policy as the first approved
/// version, and — only when <c>Demo:Enabled</c> is true (<see cref="DemoMode"/>) and the database has no people yet —
/// the demo company. With demo data off, a database that still holds demo accounts that would sign in with the
/// published demo password (left by an earlier demo start) is refused: <see cref="DemoAccountsLeftException"/>.
/// Instances starting together over one database run this one after the other (<see cref="MigrationLock.RunAsync"/>).
/// </summary>
public sealed class DatabaseStart(
    AppDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    IConfiguration configuration,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<DatabaseStart> log)
{
    public async Task RunAsync(CancellationToken ct = default)
    {
        if (configuration["Testing:PauseAfterSql"] is { Length: > 0 } hook)
        {
            log.LogWarning("Fault injection is on (Testing:PauseAfterSql = {Hook}): for the crash tests only, never in production", hook);
        }

        // Never waits silently on a migration lock left by a killed process; one instance starts at a time (MigrationLock).
        await MigrationLock.RunAsync(db, configuration, log, () => SeedAsync(ct), ct);
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            // Write-ahead log (persistent in the file): readers never wait for a writer, and a commit costs one
            // sync instead of the rollback journal's several. Every read of another person's pay writes an audit
            // entry (D19), so commits are on the read path of GET /api/months/{month}/results (issue 3: < 100 ms).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        await EnsureAdministratorAsync();
        SharedKeys.EnsureKey(services, clock);
        if (!await db.PolicyVersions.AnyAsync(ct))
        {
            var policy = DefaultPolicy.Instance;
            db.PolicyVersions.Add(new PolicyVersion
            {
                VersionName = policy.Version,
                Json = PolicyJson.Serialize(policy),
                Status = PolicyStatus.Approved,
                EffectiveFrom = "1900-01",
                Note = "种子政策 · seed policy",
                CreatedBy = "system",
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                ApprovedBy = "system",
                ApprovedAt = clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }

        if (!DemoMode.IsOn(configuration))
        {
            await RefuseDemoAccountsAsync(ct);
        }

        if (DemoMode.IsOn(configuration) && !await db.People.AnyAsync(ct))
        {
            log.LogInformation("Creating the demo company (Demo:Enabled)");
            var demo = ActivatorUtilities.CreateInstance<DemoData>(services);
            await demo.CreateAsync(ct);
            foreach (var line in DemoData.AccountsText())
            {
                Console.WriteLine(line);
            }
        }
    }

    /// <summary>
    /// A production start must not silently serve the demo's accounts with their published password (issue 7 §3): the
    /// demo's user names and the administrator's that are not locked, whose person may sign in, and whose password is
    /// still <see cref="DemoData.Password"/> stop the start with a message naming them and the fix.
    /// </summary>
    private async Task RefuseDemoAccountsAsync(CancellationToken ct)
    {
        var names = DemoData.UserNames.Append(configuration["Admin:UserName"] ?? "admin").Select(n => users.NormalizeName(n)).Distinct().ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName != null && names.Contains(u.NormalizedUserName)).OrderBy(u => u.UserName).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var today = new Months.CompanyClock(clock, configuration).Today;
        var open = new List<string>();
        foreach (var user in accounts)
        {
            if (user.PasswordHash is null || (user.LockoutEnabled && user.LockoutEnd > now) || !await SignInRule.PersonMaySignInAsync(db, user, today, ct))
            {
                continue;
            }

            if (users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash, DemoData.Password) != PasswordVerificationResult.Failed)
            {
                open.Add(user.UserName!);
            }
        }

        if (open.Count > 0)
        {
            var error = new DemoAccountsLeftException(open);
            log.LogCritical("{Message}", error.Message);
            throw error;
        }
    }

    private async Task EnsureAdministratorAsync()
    {
        var name = configuration["Admin:UserName"] ?? "admin";
        if (await users.FindByNameAsync(name) is not null)
        {
            return;
        }

        var password = configuration["Admin:Password"];
        if (string.IsNullOrEmpty(password))
        {
            if (!DemoMode.IsOn(configuration))
            {
                throw new InvalidOperationException("Admin:Password must be configured to create the administrator account (管理员密码未配置).");
            }

            password = DemoData.Password;
        }

        var admin = new AppUser { UserName = name };
        Check(await users.CreateAsync(admin, password));
        Check(await users.AddToRoleAsync(admin, Roles.Admin));
    }

    internal static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}

/// <summary>
/// Demo data is off (<c>Demo:Enabled</c>) but the database holds demo accounts that would sign in with the published
/// demo password: the start stops, saying which accounts and how to fix it, in both languages.
/// </summary>
public sealed class DemoAccountsLeftException(IReadOnlyList<string> accounts) : InvalidOperationException(Text(accounts))
{
    public IReadOnlyList<string> Accounts { get; } = accounts;

    private static string Text(IReadOnlyList<string> accounts)
    {
        var names = string.Join(", ", accounts);
        return $"演示数据未开启（Demo:Enabled），但数据库中仍有使用公开演示密码的演示账户：{names}。为防止有人用公开的密码登录，应用拒绝启动。"
            + "解决办法：正式使用请换一个新的空数据库（删除或移走 SQLite 文件，或设置 ConnectionStrings）；若要继续演示，以 --Demo:Enabled=true 启动；"
            + "若要保留这些数据，先以 --Demo:Enabled=true 启动，在“账户管理”中为这些账户重置密码或停用，再关闭演示启动。"
            + Environment.NewLine
            + $"Demo data is off (Demo:Enabled) but the database still holds demo accounts with the published demo password: {names}. "
            + "The application refuses to start so that nobody signs in with a published password. Fix: for real use, start on a new empty "
            + "database (delete or move the SQLite file, or set ConnectionStrings); to keep running the demo, start with --Demo:Enabled=true; "
            + "to keep this data, start once with --Demo:Enabled=true, reset the passwords of these accounts or lock them out on the accounts page, then start without demo data.";
    }
}
