namespace Appraisal.App.Policy;

/// <summary>Where a policy version is in its approval (D18).</summary>
public enum PolicyStatus
{
    Draft = 0,
    Approved = 1,
}

/// <summary>A version of the policy document (D18): drafted by HR, approved by the general manager, in force from a month.</summary>
public sealed class PolicyVersion : People.IVersioned
{
    public int Id { get; set; }

    /// <summary>The document's own version string, unique.</summary>
    public required string VersionName { get; set; }

    /// <summary>The whole policy document as JSON.</summary>
    public required string Json { get; set; }

    public PolicyStatus Status { get; set; }

    /// <summary>First month (YYYY-MM) the version is in force; set on approval.</summary>
    public string? EffectiveFrom { get; set; }

    public string? Note { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? ApprovedBy { get; set; }

    public DateTime? ApprovedAt { get; set; }

    public int Version { get; set; }
}
