using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files;

/// <summary>What an imported row does.</summary>
public enum RowChange
{
    New,
    Changed,
    Unchanged,
}

/// <summary>One value the import replaces, old → new (null: none), with the field's name in both languages.</summary>
public sealed record FieldChange(string Field, string Zh, string En, string? Old, string? New);

/// <summary>One row of the preview: the row of the file, whom it is about, and what it changes.</summary>
public sealed record PreviewRow(int Row, string Key, string Name, RowChange Change, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// What confirming the file would do. <see cref="Token"/> names the file kept on the server for the confirmation;
/// the confirmation applies it only if it would still do exactly this (nothing changed meanwhile). The counts are
/// the whole file's; <see cref="Rows"/> are its first <see cref="ShownRows"/> rows, new and changed ones first, in
/// the order of the file (a file of 50 000 rows is not sent back whole to be looked at).
/// </summary>
public sealed record ImportPreview(string Token, ImportKind Kind, string? Month, string FileName, int New, int Changed, int Unchanged, IReadOnlyList<PreviewRow> Rows)
{
    /// <summary>How many rows a preview shows at most.</summary>
    public const int ShownRows = 2000;

    public bool ChangesNothing => New == 0 && Changed == 0;

    /// <summary>The rows of the file.</summary>
    public int Total => New + Changed + Unchanged;

    /// <summary>The rows of the file not in <see cref="Rows"/>.</summary>
    public int Omitted => Total - Rows.Count;
}

/// <summary>A checked file: its preview when it is clean, else every problem (and nothing can be confirmed).</summary>
public sealed record ImportCheck(ImportPreview? Preview, IReadOnlyList<ImportProblem> Problems, string FileName);

/// <summary>What a confirmed import did.</summary>
public sealed record ImportOutcome(ImportKind Kind, string? Month, string FileName, int Changed);

/// <summary>
/// Files checked and previewed, kept in the database until confirmed (or for <see cref="Lifetime"/>): the confirmation
/// names the token, never sends the file again, so what is applied is the file that was previewed. Kept in the
/// database, not in one instance's memory (issue 10 §3): behind a load balancer the confirmation may reach another
/// instance than the preview did. Each user keeps at most <see cref="PerUser"/> files; older ones and expired ones are
/// removed when a file is added.
/// </summary>
public sealed class ImportUploads(AppDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private const int PerUser = 4;

    internal async Task AddAsync(ImportUpload upload, CancellationToken ct)
    {
        var expired = clock.GetUtcNow().UtcDateTime - Lifetime;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await using (own)
        {
            await db.ImportUploads.Where(u => u.At < expired).ExecuteDeleteAsync(ct);
            var older = await db.ImportUploads.Where(u => u.UploadedBy == upload.UploadedBy)
                .OrderByDescending(u => u.At).Skip(PerUser - 1).Select(u => u.Token).ToListAsync(ct);
            if (older.Count > 0)
            {
                await db.ImportUploads.Where(u => older.Contains(u.Token)).ExecuteDeleteAsync(ct);
            }

            await db.InsertAsync([upload], ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
        }
    }

    internal Task<ImportUpload?> FindAsync(string token, string user, CancellationToken ct)
    {
        var expired = clock.GetUtcNow().UtcDateTime - Lifetime;
        return db.ImportUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Token == token && u.UploadedBy == user && u.At >= expired, ct);
    }

    /// <summary>Removes the file in the confirmation's transaction: false when another confirmation took it first.</summary>
    internal async Task<bool> RemoveAsync(string token, CancellationToken ct) =>
        await db.ImportUploads.Where(u => u.Token == token).ExecuteDeleteAsync(ct) == 1;
}

/// <summary>
/// A previewed file as uploaded (its bytes, or the pasted text as UTF-8), its kind and month, and the fingerprint of
/// the preview it gave; the confirmation reads it again with the same reader (<see cref="TableAsync"/>). It names the
/// HR user who uploaded it and lives at most <see cref="ImportUploads.Lifetime"/>: it is a file in transit, not the
/// personal data of anyone.
/// </summary>
public sealed class ImportUpload
{
    public const int TokenLength = 32;

    public string Token { get; set; } = string.Empty;

    /// <summary>The user name of who previewed it: only they may confirm it.</summary>
    public string UploadedBy { get; set; } = string.Empty;

    public ImportKind Kind { get; set; }

    /// <summary>The month of a month's kind, as YYYY-MM.</summary>
    public string? Month { get; set; }

    public string FileName { get; set; } = string.Empty;

    /// <summary>True when <see cref="Content"/> is text pasted from Excel, not a file.</summary>
    public bool Pasted { get; set; }

    public byte[] Content { get; set; } = [];

    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>When it was previewed (UTC).</summary>
    public DateTime At { get; set; }

    internal YearMonth? MonthValue => Month is null ? null : YearMonth.Parse(Month);

    /// <summary>The cells as the preview read them: the same bytes through the same reader.</summary>
    internal async Task<SourceTable> TableAsync(ImportPlanner planner, CancellationToken ct) => Pasted
        ? TableReader.ReadPasted(Encoding.UTF8.GetString(Content))
        : TableReader.Read(Content, FileName, (await planner.LayoutAsync(Kind, MonthValue, ct)).SheetNames);

    internal static void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<ImportUpload> e)
    {
        e.HasKey(u => u.Token);
        e.HasIndex(u => new { u.UploadedBy, u.At });
        e.HasIndex(u => u.At);
        e.Property(u => u.Token).HasMaxLength(TokenLength);
        e.Property(u => u.UploadedBy).HasMaxLength(256);
        e.Property(u => u.Month).HasMaxLength(7);
        e.Property(u => u.Fingerprint).HasMaxLength(64);
    }
}

/// <summary>What planning a kind of import needs: the services of the commands it goes through.</summary>
public sealed class ImportServices(AppDbContext db, PolicyStore policies, AuditLog audit, CompanyClock clock, SaveFacts saveFacts,
    AddPayAdjustment addAdjustment, SavePerson savePerson, SaveTeam saveTeam, ComputeResults compute, ManageAccounts accounts)
{
    public AppDbContext Db => db;

    public PolicyStore Policies => policies;

    public AuditLog Audit => audit;

    public CompanyClock Clock => clock;

    public SaveFacts SaveFacts => saveFacts;

    public AddPayAdjustment AddAdjustment => addAdjustment;

    public SavePerson SavePerson => savePerson;

    public SaveTeam SaveTeam => saveTeam;

    public ComputeResults Compute => compute;

    public ManageAccounts Accounts => accounts;
}

/// <summary>A kind's plan: the preview rows, and how to apply them through the product's commands.</summary>
internal abstract class ImportPlan
{
    public List<PreviewRow> Rows { get; } = [];

    /// <returns>How many rows changed.</returns>
    public abstract Task<int> ApplyAsync(CancellationToken ct);

    /// <summary>The same preview, the same fingerprint: what the confirmation compares.</summary>
    public string Fingerprint()
    {
        var sb = new StringBuilder();
        foreach (var r in Rows)
        {
            sb.Append(r.Row).Append('|').Append(r.Key).Append('|').Append(r.Change);
            foreach (var c in r.Changes)
            {
                sb.Append('|').Append(c.Field).Append('=').Append(c.Old).Append('>').Append(c.New);
            }

            sb.Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    protected void Add(ImportRow row, string key, string name, IReadOnlyList<FieldChange> changes, bool isNew) =>
        Rows.Add(new PreviewRow(row.Number, key, name, isNew ? RowChange.New : changes.Count > 0 ? RowChange.Changed : RowChange.Unchanged, changes));
}

/// <summary>Reads a file of one kind, checks every row and plans what it changes; the preview and the confirmation both plan with it.</summary>
public sealed class ImportPlanner(ImportServices services)
{
    public ImportServices Services => services;

    /// <summary>The layout of <paramref name="kind"/>: a month's kinds under the policy in force for it, the others under today's.</summary>
    public async Task<ImportLayout> LayoutAsync(ImportKind kind, YearMonth? month, CancellationToken ct)
    {
        var today = services.Clock.Today;
        var policy = await services.Policies.InForceAsync(month ?? new YearMonth(today.Year, today.Month), ct);
        return ImportLayout.For(kind, policy);
    }

    internal async Task<(ImportPlan? Plan, ImportProblems Problems)> PlanAsync(Actor actor, ImportKind kind, YearMonth? month, SourceTable table, CancellationToken ct)
    {
        ImportAccess.Ensure(actor);

        AppraisalMonth? monthRow = null;
        if (ImportLayout.IsMonthly(kind))
        {
            var ym = month ?? throw new UserError("请选择要导入的考核月份", "choose the month to import into");
            monthRow = await MonthLookup.GetAsync(services.Db, ym, ct);
            MonthRules.EnsureOpen(monthRow);
        }

        var layout = await LayoutAsync(kind, month, ct);
        var problems = new ImportProblems();
        var rows = ImportSheet.Read(table, layout, problems);
        if (problems.Count > 0 && rows.Count == 0)
        {
            return (null, problems);
        }

        ImportPlan plan = kind switch
        {
            ImportKind.Sales or ImportKind.Absence => await FactsImport.PlanAsync(services, actor, kind, monthRow!, rows, problems, ct),
            ImportKind.Adjustments => await AdjustmentsImport.PlanAsync(services, actor, monthRow!, rows, problems, ct),
            ImportKind.People => await PeopleImport.PlanAsync(services, actor, rows, problems, ct),
            _ => await HistoryImport.PlanAsync(services, actor, rows, problems, ct),
        };
        // In the order of the file: row by row, column by column (the checks of the kind come after those of the cells).
        problems.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row)
            : a.Column.Length != b.Column.Length ? a.Column.Length.CompareTo(b.Column.Length) : string.CompareOrdinal(a.Column, b.Column));
        return (problems.Count > 0 ? null : plan, problems);
    }
}

/// <summary>
/// HR uploads a file (or pastes rows from Excel): it is read, every row and cell checked — every problem listed, in
/// one list — and, when it is clean, what it would change is shown (new, changed, unchanged rows; old → new) and the
/// file kept for <see cref="ConfirmImport"/>. Nothing is changed here.
/// </summary>
public sealed class PreviewImport(ImportPlanner planner, ImportUploads uploads, TimeProvider clock)
{
    /// <param name="shownRows">How many rows the preview lists (the command line lists every change).</param>
    public async Task<ImportCheck> ExecuteAsync(Actor actor, ImportKind kind, YearMonth? month, string fileName, ReadOnlyMemory<byte> content,
        int shownRows = ImportPreview.ShownRows, CancellationToken ct = default)
    {
        ImportAccess.Ensure(actor);
        var name = Path.GetFileName(fileName ?? string.Empty);
        name = string.IsNullOrWhiteSpace(name) ? "upload" : name;
        var layout = await planner.LayoutAsync(kind, month, ct);
        var table = TableReader.Read(content, name, layout.SheetNames);
        return await CheckAsync(actor, kind, month, name, table, (content.ToArray(), false), shownRows, ct);
    }

    /// <summary>Rows pasted from Excel (tab-separated, with the header row) go through the same checks and preview.</summary>
    public Task<ImportCheck> ExecutePastedAsync(Actor actor, ImportKind kind, YearMonth? month, string text, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ImportAccess.Ensure(actor);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserError("粘贴框是空的：请在 Excel 中选中含表头的区域，复制后粘贴到这里", "the paste box is empty: select the rows with their header in Excel, copy and paste them here");
        }

        if (text.Length > TableReader.MaxFileBytes)
        {
            throw new UserError("粘贴的内容太多：请改为上传文件", "too much pasted text: upload a file instead", 413);
        }

        var table = TableReader.ReadPasted(text);
        return CheckAsync(actor, kind, month, table.Sheet, table, (Encoding.UTF8.GetBytes(text), true), ImportPreview.ShownRows, ct);
    }

    private async Task<ImportCheck> CheckAsync(Actor actor, ImportKind kind, YearMonth? month, string name, SourceTable table,
        (byte[] Bytes, bool Pasted) content, int shownRows, CancellationToken ct)
    {
        var (plan, problems) = await planner.PlanAsync(actor, kind, month, table, ct);
        if (plan is null)
        {
            return new ImportCheck(null, problems, name);
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await uploads.AddAsync(new ImportUpload
        {
            Token = token,
            UploadedBy = actor.UserName,
            Kind = kind,
            Month = ImportLayout.IsMonthly(kind) ? month?.ToString() : null,
            FileName = name,
            Pasted = content.Pasted,
            Content = content.Bytes,
            Fingerprint = plan.Fingerprint(),
            At = clock.GetUtcNow().UtcDateTime,
        }, ct);
        return new ImportCheck(Preview(token, kind, month, name, plan, shownRows), [], name);
    }

    private static ImportPreview Preview(string token, ImportKind kind, YearMonth? month, string name, ImportPlan plan, int shownRows) =>
        new(token, kind, ImportLayout.IsMonthly(kind) ? month?.ToString() : null, name,
            plan.Rows.Count(r => r.Change == RowChange.New), plan.Rows.Count(r => r.Change == RowChange.Changed), plan.Rows.Count(r => r.Change == RowChange.Unchanged),
            plan.Rows.OrderBy(r => r.Change).Take(shownRows).ToList());
}

/// <summary>
/// HR confirms a previewed file: its cells as read for the preview (kept on the server, so the file is read once) are checked again and applied only if it would still change exactly what
/// the preview showed (else 409: someone changed the data meanwhile; preview again). It is applied in one transaction
/// through the commands the pages use (<see cref="SaveFacts"/>, <see cref="AddPayAdjustment"/>, <see cref="SavePerson"/>,
/// <see cref="ComputeResults"/>), each change audited with the file's name. A file that changes nothing writes nothing:
/// no audit entry, no new data version.
/// </summary>
public sealed class ConfirmImport(ImportPlanner planner, ImportUploads uploads)
{
    public async Task<ImportOutcome> ExecuteAsync(Actor actor, string token, CancellationToken ct = default)
    {
        ImportAccess.Ensure(actor);

        var upload = await uploads.FindAsync(token ?? string.Empty, actor.UserName, ct) ?? throw Gone();
        var (plan, problems) = await planner.PlanAsync(actor, upload.Kind, upload.MonthValue, await upload.TableAsync(planner, ct), ct);
        if (plan is null || plan.Fingerprint() != upload.Fingerprint)
        {
            throw new UserError($"自预览以来数据已被修改（共 {problems.Count} 处新问题），未导入任何数据：请重新上传“{upload.FileName}”查看新的预览",
                $"the data changed since the preview ({problems.Count} new problem(s)); nothing was imported: upload \"{upload.FileName}\" again to see the new preview", 409);
        }

        var db = planner.Services.Db;
        var audit = planner.Services.Audit;
        audit.Source = $"import {upload.FileName}";
        int changed;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Taken in this transaction: of two confirmations of one file (two tabs, two instances), one applies it.
            if (!await uploads.RemoveAsync(upload.Token, ct))
            {
                throw Gone();
            }

            changed = await plan.ApplyAsync(ct);
            if (changed > 0)
            {
                audit.Record(actor.UserName, "import.apply", upload.Month, detail: string.Create(CultureInfo.InvariantCulture,
                    $"{ImportLayout.Slug(upload.Kind)}: {changed} row(s) of {plan.Rows.Count}"));
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        return new ImportOutcome(upload.Kind, upload.Month, upload.FileName, changed);
    }

    private static UserError Gone() =>
        new("找不到要确认的文件（预览已超过 30 分钟或已确认过）：请重新上传", "the file to confirm is gone (previewed more than 30 minutes ago, or confirmed already): upload it again", 404);
}

/// <summary>What the month's kinds share: the agents appraised in the month by employee number, with the usual refusals.</summary>
internal static class ImportPeople
{
    /// <summary>
    /// The person of a row's employee number among <paramref name="people"/>: an unknown number, someone not
    /// appraised in the month, a number given twice or a name that is not that person's are problems of the row.
    /// </summary>
    public static Person? Match(ImportRow row, IReadOnlyDictionary<string, Person> people, IReadOnlyDictionary<string, Person> everyone,
        HashSet<string> seen, string scope, (string Zh, string En)? twice = null)
    {
        var no = row.Text(ImportLayout.EmployeeNo);
        if (no is null)
        {
            return null;
        }

        if (!people.TryGetValue(no, out var person))
        {
            row.Problem(ImportLayout.EmployeeNo, everyone.TryGetValue(no, out var other)
                ? ($"{other.Name}（{no}）不是{scope}的参评客服（见第二条：岗位、入职或离职日期）", $"{other.Name} ({no}) is not an agent appraised in {scope} (第二条: role, hiring or leaving date)")
                : ($"没有工号为“{no}”的员工：请核对工号，或先导入人员", $"no employee has the number \"{no}\": check it, or import the people first"));
            return null;
        }

        if (!seen.Add(no))
        {
            row.Problem(ImportLayout.EmployeeNo, twice ?? ($"工号 {no} 在文件中出现了两次", $"the employee number {no} appears twice in the file"));
            return null;
        }

        if (row.Text(ImportLayout.Name) is { } name && !string.Equals(name, person.Name.Trim(), StringComparison.Ordinal))
        {
            row.Problem(ImportLayout.Name, ($"工号 {no} 是“{person.Name}”，不是“{name}”：请核对这一行", $"employee {no} is \"{person.Name}\", not \"{name}\": check this row"));
            return null;
        }

        return person;
    }

    /// <summary>Everyone else the file names (not appraised in the month, or not an agent), for the problems that say who they are.</summary>
    public static async Task<Dictionary<string, Person>> OthersAsync(AppDbContext db, List<ImportRow> rows, IReadOnlyDictionary<string, Person> people, CancellationToken ct)
    {
        var unknown = rows.Select(r => r.Text(ImportLayout.EmployeeNo)).OfType<string>().Where(n => !people.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        return unknown.Count == 0 ? new(StringComparer.Ordinal)
            : ByNumber(await db.People.AsNoTracking().Where(p => unknown.Contains(p.EmployeeNo)).ToListAsync(ct));
    }

    public static Dictionary<string, Person> ByNumber(IEnumerable<Person> people) => people.ToDictionary(p => p.EmployeeNo.Trim(), StringComparer.Ordinal);

    public static string Text(decimal? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "—";
}
