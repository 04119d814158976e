using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Policy;

/// <summary>A policy version without its document (D18).</summary>
public sealed record PolicyVersionDto(
    int Id,
    string Name,
    [property: Description("draft or approved")] string Status,
    [property: Description("First month (YYYY-MM) in force; null for a draft")] string? EffectiveFrom,
    string? Note,
    string CreatedBy,
    DateTime CreatedAt,
    string? ApprovedBy,
    DateTime? ApprovedAt,
    [property: Description("True for the version in force this month")] bool InForce);

/// <summary>
/// <c>/api/policy</c>: the policy documents (D18) as the JSON the CLI's <c>--policy</c> reads
/// (docs/policy.schema.json). Everyone signed in may read the policy: it is the company's published rules.
/// </summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/policy").RequireAuthorization().WithTags("Policy").WithUserErrors();
        api.MapGet("/", InForceAsync)
            .WithName("GetPolicyInForce")
            .WithSummary("The policy document in force this month")
            .Produces<PolicyDocument>(StatusCodes.Status200OK, "application/json");
        api.MapGet("/versions", ListAsync)
            .WithName("ListPolicyVersions")
            .WithSummary("Every policy version, newest first");
        api.MapGet("/versions/{id:int}", VersionAsync)
            .WithName("GetPolicyVersion")
            .WithSummary("One policy version's document")
            .Produces<PolicyDocument>(StatusCodes.Status200OK, "application/json");
        return app;
    }

    public static async Task<FileContentHttpResult> InForceAsync(PolicyStore policies, CompanyClock clock, CancellationToken ct)
    {
        var policy = await policies.InForceAsync(YearMonth.FromDate(clock.Today), ct);
        return Document(policy);
    }

    public static async Task<Ok<List<PolicyVersionDto>>> ListAsync(AppDbContext db, PolicyStore policies, CompanyClock clock, CancellationToken ct)
    {
        var inForce = await policies.InForceRowAsync(YearMonth.FromDate(clock.Today), ct);
        var rows = await db.PolicyVersions.AsNoTracking()
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Select(p => new PolicyVersionDto(p.Id, p.VersionName, p.Status == PolicyStatus.Approved ? "approved" : "draft", p.EffectiveFrom, p.Note,
                p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt, false))
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r with { InForce = r.Id == inForce?.Id }).ToList());
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> VersionAsync([Description("The version's id")] int id, AppDbContext db, CancellationToken ct)
    {
        var row = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? TypedResults.NotFound() : Document(PolicyStore.Parse(row));
    }

    private static FileContentHttpResult Document(PolicyDocument policy) =>
        TypedResults.Bytes(PolicyJson.SerializeToUtf8Bytes(policy), "application/json");
}
