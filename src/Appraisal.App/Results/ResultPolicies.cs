using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>
/// The policy documents that computed stored results. A stored result keeps only keys (grade, level)
/// and its policy version (D18): labels, thresholds and tiers must come from that version's document,
/// never from the policy in force today, or an old month would be relabelled by a later policy.
/// Loaded once per page; parsing is cached by <see cref="PolicyStore.Parse"/>.
/// </summary>
public static class ResultPolicies
{
    public static async Task<Dictionary<string, PolicyDocument>> LoadAsync(AppDbContext db, IEnumerable<string> versionNames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = versionNames.Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.PolicyVersions.AsNoTracking().Where(p => names.Contains(p.VersionName)).ToListAsync(ct);
        var docs = rows.ToDictionary(r => r.VersionName, PolicyStore.Parse, StringComparer.Ordinal);
        foreach (var name in names)
        {
            // PolicyStore falls back to the embedded default when no version is approved; results then carry its name.
            docs.TryAdd(name, DefaultPolicy.Instance);
        }

        return docs;
    }

    public static async Task<PolicyDocument> LoadAsync(AppDbContext db, string versionName, CancellationToken ct) =>
        (await LoadAsync(db, [versionName], ct))[versionName];
}

/// <summary>Grade bands by (policy version, key), resolved once per page so that rows cost a dictionary look-up.</summary>
public sealed class GradeLabels
{
    private readonly Dictionary<(string Version, string Key), GradeBand> bands = [];

    public GradeLabels(IReadOnlyDictionary<string, PolicyDocument> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        Policies = policies;
        foreach (var (version, policy) in policies)
        {
            foreach (var band in policy.Grades)
            {
                bands[(version, band.Key)] = band;
            }
        }
    }

    public IReadOnlyDictionary<string, PolicyDocument> Policies { get; }

    public GradeBand? Band(string version, string? key) =>
        key is not null && bands.TryGetValue((version, key), out var band) ? band : null;

    /// <summary>The grade label (优/良/…) in the current language, or a dash for an excluded employee (D15).</summary>
    public string Grade(string version, string? key) => Band(version, key)?.Label.Get(Localization.L.IsEnglish) ?? key ?? "—";

    /// <summary>The job level (资深客服/…) of the band that pays (D6, D15).</summary>
    public string Level(string version, string key) => Band(version, key)?.Level.Get(Localization.L.IsEnglish) ?? key;
}
