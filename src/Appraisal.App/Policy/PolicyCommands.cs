using System.Globalization;
using System.Text.Json;
using Appraisal.Core;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Policy;

/// <summary>
/// HR starts a change of policy (D18, 第十三条 "由公司人力资源部制定"): a draft copied from any version,
/// under a new unique version name so that results always say which version computed them.
/// </summary>
public sealed class DraftPolicy(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>HR drafts and edits the policy (第十三条); the one statement of it for the commands and the policy page.</summary>
    public static bool MayDraft(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsHr;
    }

    public async Task<PolicyVersion> ExecuteAsync(Actor actor, int fromId, CancellationToken ct = default)
    {
        if (!MayDraft(actor))
        {
            throw UserError.Forbidden();
        }

        var source = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == fromId, ct) ?? throw UserError.NotFound();
        var taken = await db.PolicyVersions.Select(p => p.VersionName).ToListAsync(ct);
        var name = NextName(source.VersionName, taken);

        // The document carries its own version string (D18): results record it, so it must be the new name.
        var document = PolicyStore.Parse(source) with { Version = name };
        var row = new PolicyVersion
        {
            VersionName = name,
            Json = PolicyJson.Serialize(document),
            Status = PolicyStatus.Draft,
            Note = $"基于 {source.VersionName} · based on {source.VersionName}",
            CreatedBy = actor.UserName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.PolicyVersions.Add(row);
        audit.Record(actor.UserName, "policy.draft", detail: $"{name} from {source.VersionName}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two drafts at the same moment can pick the same name; the unique index refuses the second.
            throw UserError.Conflict();
        }

        return row;
    }

    /// <summary>"seed-1" → "seed-2": a trailing "-N" counts up, otherwise "-2" is appended; names taken are skipped.</summary>
    public static string NextName(string from, IReadOnlyCollection<string> taken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(taken);
        var prefix = from;
        var number = 1;
        var dash = from.LastIndexOf('-');
        if (dash > 0 && int.TryParse(from.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            prefix = from[..dash];
            number = n;
        }

        var set = taken.ToHashSet(StringComparer.Ordinal);
        string candidate;
        do
        {
            number++;
            candidate = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number}");
        }
        while (set.Contains(candidate));
        return candidate;
    }
}

/// <summary>
/// HR edits a draft (D18). The whole document is validated before anything is saved: every problem is
/// reported at once (<see cref="ProblemsException"/>), and an approved version can never be edited.
/// </summary>
public sealed class EditPolicyDraft(AppDbContext db, AuditLog audit)
{
    /// <summary>The note on a draft, as the policy page states it.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>True when <paramref name="actor"/> may edit <paramref name="row"/>: HR (<see cref="DraftPolicy.MayDraft"/>), and only a draft.</summary>
    public static bool MayEdit(Actor actor, PolicyVersion row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return DraftPolicy.MayDraft(actor) && row.Status == PolicyStatus.Draft;
    }

    public async Task<PolicyVersion> ExecuteAsync(Actor actor, int id, string json, string? note, int expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!DraftPolicy.MayDraft(actor))
        {
            throw UserError.Forbidden();
        }

        var row = await db.PolicyVersions.FindAsync([id], ct) ?? throw UserError.NotFound();
        if (row.Status != PolicyStatus.Draft)
        {
            throw new UserError("只能修改草案；已批准的版本不可更改", "only a draft can be edited; an approved version never changes", 409);
        }

        if (row.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        if (note?.Trim().Length > MaxNoteLength)
        {
            throw new UserError($"修改说明最多 {MaxNoteLength} 字", $"the note may have at most {MaxNoteLength} characters");
        }

        var document = Validate(json, row.VersionName);
        row.Json = PolicyJson.Serialize(document);
        row.Note = string.IsNullOrWhiteSpace(note) ? row.Note : note.Trim();
        audit.Record(actor.UserName, "policy.edit", detail: row.VersionName);
        await db.SaveOrConflictAsync(ct);

        return row;
    }

    /// <summary>
    /// Parses and validates <paramref name="json"/> as the draft <paramref name="versionName"/>; throws
    /// <see cref="ProblemsException"/> with every problem, including a changed version name.
    /// </summary>
    public static PolicyDocument Validate(string json, string versionName)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<Problem>();
        PolicyDocument? document = null;
        try
        {
            document = PolicyJson.Parse(json);
        }
        catch (ProblemsException ex)
        {
            problems.AddRange(ex.Problems);
        }

        var named = document?.Version ?? ReadVersion(json);
        if (named is not null && named != versionName)
        {
            // The name is the draft's identity (D18): renaming inside the text would make two rows disagree.
            problems.Add(new Problem("version", $"版本名须保持为 \"{versionName}\"，实际为 \"{named}\"", $"the version must stay \"{versionName}\", got \"{named}\""));
        }

        return problems.Count == 0 && document is not null ? document : throw new ProblemsException(problems);
    }

    private static string? ReadVersion(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return parsed.RootElement.ValueKind == JsonValueKind.Object
                && parsed.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The general manager approves a draft with the month it takes effect (D18, 第十三条 "报总经理审批后实施").
/// The month must come after every confirmed month, so approving never changes a confirmed month's results
/// nor the version a reopened confirmed month would be recomputed with; open months from that month on
/// that were already computed become stale, since their results used the version in force before.
/// </summary>
public sealed class ApprovePolicy(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Every check of an approval without approving (the general manager, a valid month after every confirmed one,
    /// the draft as read, still valid): the first press of 批准 shows what will happen only when the second can do it.
    /// </summary>
    /// <summary>The general manager approves a policy version (D18); the one statement of it for the command and the policy page.</summary>
    public static bool MayApprove(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsGeneralManager;
    }

    /// <summary>True when <paramref name="actor"/> may approve <paramref name="row"/>: the general manager, and only a draft.</summary>
    public static bool MayApprove(Actor actor, PolicyVersion row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return MayApprove(actor) && row.Status == PolicyStatus.Draft;
    }

    public async Task<(PolicyVersion Row, YearMonth Effective)> CheckAsync(Actor actor, int id, string effectiveMonth, int expectedVersion, CancellationToken ct = default)
    {
        if (!MayApprove(actor))
        {
            throw UserError.Forbidden();
        }

        if (!YearMonth.TryParse(effectiveMonth, out var effective))
        {
            throw new UserError($"生效月份“{effectiveMonth}”无效，应为 YYYY-MM", $"effective month \"{effectiveMonth}\" is not valid; expected YYYY-MM");
        }

        var row = await db.PolicyVersions.FindAsync([id], ct) ?? throw UserError.NotFound();
        if (row.Status != PolicyStatus.Draft)
        {
            throw new UserError($"{row.VersionName} 已批准", $"{row.VersionName} is already approved", 409);
        }

        if (row.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        try
        {
            // Stored drafts were validated when saved; checked again because approval is what puts them in force.
            EditPolicyDraft.Validate(row.Json, row.VersionName);
        }
        catch (ProblemsException ex)
        {
            throw new UserError("草案有问题，不能批准：" + string.Join("；", ex.Problems.Select(p => Join(PolicyPlace.Describe(p.Where).Zh, p.Zh, "：")))
                + "。请先修改草案",
                "the draft has problems and cannot be approved: " + string.Join("; ", ex.Problems.Select(p => Join(PolicyPlace.Describe(p.Where).En, p.En, ": ")))
                + ". Edit the draft first");
        }

        var key = effective.ToString();
        var lastConfirmed = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Confirmed)
            .OrderByDescending(m => m.Month).Select(m => m.Month).FirstOrDefaultAsync(ct);
        if (lastConfirmed is not null && string.CompareOrdinal(key, lastConfirmed) <= 0)
        {
            throw new UserError($"生效月份须晚于已确认的月份（最近确认的是 {lastConfirmed}）；批准新政策不得改变已确认月份的结果（第十三条）",
                $"the effective month must come after every confirmed month (the latest is {lastConfirmed}); approving a policy must not change a confirmed month's results (第十三条)");
        }

        return (row, effective);
    }

    public async Task<PolicyVersion> ExecuteAsync(Actor actor, int id, string effectiveMonth, int expectedVersion, CancellationToken ct = default)
    {
        var (row, effective) = await CheckAsync(actor, id, effectiveMonth, expectedVersion, ct);
        var key = effective.ToString();
        var replaced = (await new PolicyStore(db).InForceAsync(effective, ct)).Version;
        var now = clock.GetUtcNow().UtcDateTime;
        row.Status = PolicyStatus.Approved;
        row.EffectiveFrom = key;
        row.ApprovedBy = actor.UserName;
        row.ApprovedAt = now;

        // The policy in force is data of every open month from the effective one: their results become stale,
        // and a computation under way with the old policy cannot store them (DataVersion, D16, D18).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var affected = db.Months.Where(m => m.Status == MonthStatus.Open && string.Compare(m.Month, key) >= 0);
        var stale = await affected.CountAsync(m => m.ComputedAt != null, ct);
        await affected.ExecuteUpdateAsync(s => s.SetProperty(m => m.DataVersion, m => m.DataVersion + 1).SetProperty(m => m.ComputedAt, (DateTime?)null), ct);
        audit.Record(actor.UserName, "policy.approve", key, detail: $"{row.VersionName} in force from {key}; {stale} open month(s) to recompute",
            changes: new AuditChanges().Field("policyInForce", replaced, row.VersionName));
        await db.SaveOrConflictAsync(ct);
        await tx.CommitAsync(ct);

        return row;
    }

    private static string Join(string place, string text, string separator) => place.Length == 0 ? text : place + separator + text;
}
