using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Appraisal.App.Data;

/// <summary>
/// The keys that protect the sign-in cookie and the antiforgery tokens (ASP.NET Core data protection), kept in the
/// database (table <c>DataProtectionKeys</c>) under one fixed application name, so that every instance of the
/// application over one database reads the cookies and tokens of the others (issue 10 §3) and a restart keeps
/// everyone signed in. A backup holds them with the data (docs/reliability.md).
/// </summary>
public static class SharedKeys
{
    /// <summary>The application name every instance protects with (isolates this product's payloads from other apps').</summary>
    public const string ApplicationName = "Appraisal";

    /// <summary>Data protection with its keys in <see cref="AppDbContext"/>.</summary>
    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<AppDbContext>();
        return services;
    }

    /// <summary>
    /// Makes the first key at start, under the start lock (<see cref="MigrationLock.RunAsync"/>): instances that start
    /// together over an empty key table would otherwise each make their own and, for a while, not read each other's
    /// cookies. Later keys are made by data protection itself, two days before the current one expires, and every
    /// instance reads them from the table in that time. Nothing is done in a host whose keys are not in the database.
    /// </summary>
    public static void EnsureKey(IServiceProvider services, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(clock);
        var options = services.GetService<IOptions<KeyManagementOptions>>()?.Value;
        if (options?.XmlRepository is not EntityFrameworkCoreXmlRepository<AppDbContext>)
        {
            return;
        }

        var keys = services.GetRequiredService<IKeyManager>();
        var now = clock.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
        {
            keys.CreateNewKey(now, now + options.NewKeyLifetime);
        }
    }
}
