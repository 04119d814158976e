using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Policy;

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
    [property: Description("True for the version in force this month")] bool InForce,
    [property: Description("Concurrency version to send back with an edit or approval")] int Version = 0)
{
    public static PolicyVersionDto From(PolicyVersion p, bool inForce = false)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.VersionName, p.Status == PolicyStatus.Approved ? "approved" : "draft", p.EffectiveFrom, p.Note,
            p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt, inForce, p.Version);
    }
}

public sealed record DraftPolicyRequest([property: Description("The id of the version the draft starts from")] int From);

public sealed record EditPolicyRequest(
    [property: Description("The whole policy document (docs/policy.schema.json); its version name must stay the draft's")] System.Text.Json.JsonElement Policy,
    string? Note,
    [property: Description("The draft's Version as last read")] int Version);

public sealed record ApprovePolicyRequest(
    [property: Description("First month (YYYY-MM) the version is in force")] string? EffectiveMonth,
    [property: Description("The draft's Version as last read")] int Version);
