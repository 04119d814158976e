using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Policy;

namespace Appraisal.Web.Policy;

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
        api.MapPost("/versions", DraftAsync)
            .WithName("DraftPolicyVersion")
            .WithSummary("Start a draft from a version (HR)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/versions/{id:int}", EditAsync)
            .WithName("EditPolicyDraft")
            .WithSummary("Replace a draft's document (HR)")
            .WithDescription("The whole document is validated; every problem is listed in errors. Approved versions never change (409).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/versions/{id:int}/approval", ApproveAsync)
            .WithName("ApprovePolicyVersion")
            .WithSummary("Approve a draft from an effective month (general manager, D18)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
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
                p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt, false, p.Version))
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r with { InForce = r.Id == inForce?.Id }).ToList());
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> VersionAsync([Description("The version's id")] int id, AppDbContext db, CancellationToken ct)
    {
        var row = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? TypedResults.NotFound() : Document(PolicyStore.Parse(row));
    }

    public static async Task<Created<PolicyVersionDto>> DraftAsync(DraftPolicyRequest body, DraftPolicy draft, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await draft.ExecuteAsync(Actor.From(http.User), body.From, ct);
        return TypedResults.Created($"/api/policy/versions/{row.Id}", PolicyVersionDto.From(row));
    }

    public static async Task<Ok<PolicyVersionDto>> EditAsync(
        [Description("The draft's id")] int id, EditPolicyRequest body, EditPolicyDraft edit, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Policy.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new UserError("请提供完整的考核政策文档（policy）", "send the whole policy document as policy");
        }

        var row = await edit.ExecuteAsync(Actor.From(http.User), id, body.Policy.GetRawText(), body.Note, body.Version, ct);
        return TypedResults.Ok(PolicyVersionDto.From(row));
    }

    public static async Task<Ok<PolicyVersionDto>> ApproveAsync(
        [Description("The draft's id")] int id, ApprovePolicyRequest body, ApprovePolicy approve, PolicyStore policies, CompanyClock clock, HttpContext http,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await approve.ExecuteAsync(Actor.From(http.User), id, body.EffectiveMonth ?? string.Empty, body.Version, ct);
        var inForce = await policies.InForceRowAsync(YearMonth.FromDate(clock.Today), ct);
        return TypedResults.Ok(PolicyVersionDto.From(row, row.Id == inForce?.Id));
    }

    private static FileContentHttpResult Document(PolicyDocument policy) =>
        TypedResults.Bytes(PolicyJson.SerializeToUtf8Bytes(policy), "application/json");
}
