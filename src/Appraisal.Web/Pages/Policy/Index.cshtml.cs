using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Pages.Policy;

/// <summary>One row of the version list: who drafted and approved it and from when it applies (D18).</summary>
public sealed record PolicyVersionSummary(int Id, string VersionName, PolicyStatus Status, string? EffectiveFrom, string? Note,
    string CreatedBy, DateTime CreatedAt, string? ApprovedBy, DateTime? ApprovedAt);

/// <summary>The policy in force this month, shown as the seed's KPI sheet and rules, and every version (D18).</summary>
public sealed class IndexModel(AppDbContext db, PolicyStore policies, CompanyClock clock) : PageModel
{
    public YearMonth Month { get; private set; }

    public PolicyDocument Policy { get; private set; } = DefaultPolicy.Instance;

    public int? InForceId { get; private set; }

    public List<PolicyVersionSummary> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Month = YearMonth.FromDate(clock.Today);
        var row = await policies.InForceRowAsync(Month, ct);
        InForceId = row?.Id;
        Policy = row is null ? DefaultPolicy.Instance : PolicyStore.Parse(row);
        Versions = await ListAsync(db, ct);
    }

    public static Task<List<PolicyVersionSummary>> ListAsync(AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.PolicyVersions.AsNoTracking()
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Select(p => new PolicyVersionSummary(p.Id, p.VersionName, p.Status, p.EffectiveFrom, p.Note, p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt))
            .ToListAsync(ct);
    }
}
