using System.Globalization;
using System.Text.Json;

namespace Appraisal.App.Audit;

/// <summary>
/// One value a change replaced (D25: the audit log shows old → new): the field, in invariant text (amounts
/// with a dot, dates as yyyy-MM-dd), and null where there was or is no value.
/// </summary>
public sealed record AuditChange(string Field, string? Old, string? New)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored form of <paramref name="changes"/>: a JSON array, or null when nothing changed.</summary>
    public static string? ToJson(IReadOnlyCollection<AuditChange>? changes) =>
        changes is null || changes.Count == 0 ? null : JsonSerializer.Serialize(changes, Json);

    public static IReadOnlyList<AuditChange> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<AuditChange>>(json, Json) ?? [];

    /// <summary>A value as the log keeps it: invariant, so that the same value always reads the same.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",

        // 1200.0000 read back from the database and 1200 typed are the same amount and read the same.
        decimal m => m.ToString("G29", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>Collects the fields a command replaces; only those whose value differs are kept.</summary>
public sealed class AuditChanges : List<AuditChange>
{
    /// <summary>Adds <paramref name="field"/> when <paramref name="old"/> and <paramref name="new"/> differ.</summary>
    public AuditChanges Field(string field, object? old, object? @new)
    {
        if (!Equals(old, @new))
        {
            Add(new AuditChange(field, AuditChange.Text(old), AuditChange.Text(@new)));
        }

        return this;
    }
}
