using System.ComponentModel;
using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>One appraised person's facts of a month as stored (null fields: not entered yet).</summary>
public sealed record FactsRowDto(
    int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    decimal? SalesPlan,
    decimal? SalesActual,
    int? AbsentDays,
    [property: Description("include, exclude, or null when the absence rule decides (D14)")] string? Eligibility,
    string? OverrideReason,
    [property: Description("The stored row's version to send back with PUT; null when nothing is stored yet")] int? Version,
    [property: Description("Sum of the month's pay adjustments (其他, D10)")] decimal OtherPay);

/// <summary>A pay adjustment (其他, D10).</summary>
public sealed record AdjustmentDto(int Id, int PersonId, decimal Amount, string Reason, string By, DateTime At)
{
    internal static AdjustmentDto From(PayAdjustment a) => new(a.Id, a.PersonId, a.Amount, a.Reason, a.By, a.At);
}

/// <summary>A window extension (D17).</summary>
public sealed record ExtensionDto(int Id, int PersonId, DateOnly Until, string Reason, string By, DateTime At);

/// <summary>A month's facts as HR's page shows them.</summary>
public sealed record FactsResponse(
    string Month,
    string Status,
    [property: Description("True when the signed-in person may change the facts (HR, open month)")] bool Editable,
    List<FactsRowDto> Rows,
    List<AdjustmentDto> Adjustments,
    List<ExtensionDto> Extensions);

/// <summary>One row of the bulk entry; a row left out (or all blank and never stored) is not changed.</summary>
public sealed record FactsRowRequest(
    int PersonId,
    decimal? SalesPlan,
    decimal? SalesActual,
    int? AbsentDays,
    [property: Description("include, exclude, or null/blank: the absence rule decides (D14)")] string? Eligibility,
    [property: Description("Required with include/exclude (D14)")] string? OverrideReason,
    [property: Description("The stored row's version as last read; null when none was stored")] int? Version);

public sealed record SaveFactsRequest(List<FactsRowRequest> Rows);

public sealed record SaveFactsResponse([property: Description("Rows added or changed; the month's results are stale when > 0")] int Changed);

public sealed record AdjustmentRequest(
    [property: Description("Person id")] int Person,
    [property: Description("Yuan; negative for a deduction")] decimal Amount,
    string? Reason);

public sealed record ExtensionRequest([property: Description("Person id")] int Person, DateOnly? Until, string? Reason);

public sealed record TalkRequest(
    DateOnly? Date,
    string? Notes,
    [property: Description("The talk's version as last read; null when none was recorded")] int? Version);

/// <summary>A recorded feedback talk (D16).</summary>
public sealed record TalkDto(int PersonId, string Month, DateOnly Date, string Notes, string By, int Version);


/// <summary>
/// A month's facts as HR enters them and the general manager reviews them: every appraised agent's sales plan and
/// actual, absence and eligibility override, with the month's pay adjustments and window extensions (D8, D10, D14,
/// D17). They are everyone's sales and pay, so only HR and the general manager read them, and each read is audited
/// as a read of others' pay (D19).
/// </summary>
public sealed class ReadFacts(AppDbContext db, AuditLog audit)
{
    public async Task<FactsResponse> ExecuteAsync(Actor actor, YearMonth month, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);

        FactsAccess.EnsureRead(actor);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var people = await ComputeResults.AppraisedPeopleAsync(db, month, ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var facts = await db.Facts.AsNoTracking().Where(f => f.MonthId == row.Id).ToDictionaryAsync(f => f.PersonId, ct);
        var adjustments = await db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == row.Id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var extensions = await db.WindowExtensions.AsNoTracking().Where(e => e.MonthId == row.Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var other = adjustments.GroupBy(a => a.PersonId).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));

        var rows = people.OrderBy(p => p.EmployeeNo, StringComparer.Ordinal).Select(p =>
        {
            facts.TryGetValue(p.Id, out var f);
            return new FactsRowDto(p.Id, p.EmployeeNo, p.Name, p.TeamId is { } t ? teams.GetValueOrDefault(t) : null,
                f?.SalesPlan, f?.SalesActual, f?.AbsentDays,
                f?.EligibilityOverride switch { true => SaveFacts.Include, false => SaveFacts.Exclude, null => null },
                f?.OverrideReason, f?.Version, other.GetValueOrDefault(p.Id));
        }).ToList();

        audit.Record(actor.UserName, "pay.read", row.Month, detail: $"GET /api/months/{row.Month}/facts: pay adjustments of all appraised agents");
        await db.SaveChangesAsync(ct);
        return new FactsResponse(
            row.Month,
            row.Status == MonthStatus.Confirmed ? "confirmed" : "open",
            FactsAccess.MayEdit(actor, row),
            rows,
            adjustments.Select(AdjustmentDto.From).ToList(),
            extensions.Select(e => new ExtensionDto(e.Id, e.PersonId, e.Until, e.Reason, e.By, e.At)).ToList());
    }
}
