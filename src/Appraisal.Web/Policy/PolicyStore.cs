using System.Collections.Concurrent;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Policy;

/// <summary>Finds the policy version in force for a month (D18) and parses each version once.</summary>
public sealed class PolicyStore(AppDbContext db)
{
    private static readonly ConcurrentDictionary<(int Id, int Version), PolicyDocument> Parsed = new();

    /// <summary>The approved version with the latest effective month not after <paramref name="month"/>; the embedded default if none.</summary>
    public async Task<PolicyDocument> InForceAsync(YearMonth month, CancellationToken ct = default)
    {
        var key = month.ToString();
        var row = await db.PolicyVersions.AsNoTracking()
            .Where(p => p.Status == PolicyStatus.Approved && p.EffectiveFrom != null && string.Compare(p.EffectiveFrom, key) <= 0)
            .OrderByDescending(p => p.EffectiveFrom).ThenByDescending(p => p.ApprovedAt)
            .FirstOrDefaultAsync(ct);
        return row is null ? DefaultPolicy.Instance : Parse(row);
    }

    public static PolicyDocument Parse(PolicyVersion row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Parsed.GetOrAdd((row.Id, row.Version), _ => PolicyJson.Parse(row.Json));
    }
}
