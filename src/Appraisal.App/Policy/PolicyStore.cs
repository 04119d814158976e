using System.Collections.Concurrent;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Policy;

/// <summary>Finds the policy version in force for a month (D18) and parses each version once.</summary>
public sealed class PolicyStore(AppDbContext db)
{
    // Keyed by the JSON text itself, not by row id: ids repeat across databases (one process may serve
    // several, e.g. the integration tests), and a stored document never changes without its text changing.
    private static readonly ConcurrentDictionary<string, PolicyDocument> Parsed = new(StringComparer.Ordinal);

    /// <summary>The approved version with the latest effective month not after <paramref name="month"/>; the embedded default if none.</summary>
    public async Task<PolicyDocument> InForceAsync(YearMonth month, CancellationToken ct = default)
    {
        var row = await InForceRowAsync(month, ct);
        return row is null ? DefaultPolicy.Instance : Parse(row);
    }

    /// <summary>The stored version in force for <paramref name="month"/> (D18), or null when only the embedded default applies.</summary>
    public Task<PolicyVersion?> InForceRowAsync(YearMonth month, CancellationToken ct = default)
    {
        var key = month.ToString();
        return db.PolicyVersions.AsNoTracking()
            .Where(p => p.Status == PolicyStatus.Approved && p.EffectiveFrom != null && string.Compare(p.EffectiveFrom, key) <= 0)
            .OrderByDescending(p => p.EffectiveFrom).ThenByDescending(p => p.ApprovedAt)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The approved version named <paramref name="versionName"/>, parsed; null when there is none.</summary>
    public async Task<PolicyDocument?> ApprovedAsync(string versionName, CancellationToken ct = default)
    {
        var row = await db.PolicyVersions.AsNoTracking()
            .FirstOrDefaultAsync(p => p.VersionName == versionName && p.Status == PolicyStatus.Approved, ct);
        return row is null ? null : Parse(row);
    }

    /// <summary>
    /// The document a month's stored results were computed with (their <c>PolicyVersion</c>), for labels.
    /// Falls back to the embedded default when the name is the default's or no longer stored.
    /// </summary>
    public async Task<PolicyDocument> ByNameAsync(string? versionName, CancellationToken ct = default)
    {
        var row = versionName is null ? null : await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.VersionName == versionName, ct);
        return row is null ? DefaultPolicy.Instance : Parse(row);
    }

    public static PolicyDocument Parse(PolicyVersion row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Parsed.GetOrAdd(row.Json, static json => PolicyJson.Parse(json));
    }
}
