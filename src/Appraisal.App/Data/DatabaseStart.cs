using Appraisal.Core.Policy;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Data;

/// <summary>
/// First start: migrate the database, create the roles, the administrator (from configuration), the
/// default policy as the first approved version, and — unless <c>Demo:Enabled</c> is false — the demo company.
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

        // Never waits silently on a migration lock left by a killed process (MigrationLock).
        await MigrationLock.MigrateAsync(db, configuration, log, ct);
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
