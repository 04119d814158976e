using Appraisal.Core.Policy;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Form fields as the pages post them.</summary>
public static class Forms
{
    /// <summary>
    /// The KPI sheet form (/Sheets/Edit) for every item of the seed policy: by default the second level
    /// with its highest score; <paramref name="pick"/> may choose another level and score per item.
    /// </summary>
    public static List<KeyValuePair<string, string>> Sheet(string mode, Func<PolicyItem, (int Level, string Score)?>? pick = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Mode", mode) };
        var items = DefaultPolicy.Instance.Items;
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var (level, score) = pick?.Invoke(item) ?? (1, item.Levels[1].Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fields.Add(new($"Items[{i}].Key", item.Key));
            fields.Add(new($"Items[{i}].Level", level.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new($"Items[{i}].Score", score));
        }

        return fields;
    }

    /// <summary>The total of <see cref="Sheet"/>'s default choices.</summary>
    public static int DefaultSheetTotal => DefaultPolicy.Instance.Items.Sum(i => i.Levels[1].Max);

    /// <summary>One row of the facts bulk form (/Months/Facts, handler Save).</summary>
    public static IEnumerable<KeyValuePair<string, string>> FactsRow(int index, int personId, string plan, string actual, string absent,
        int? version, string eligibility = "", string reason = "")
    {
        var p = $"Rows[{index}].";
        yield return new(p + "PersonId", personId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new(p + "SalesPlan", plan);
        yield return new(p + "SalesActual", actual);
        yield return new(p + "AbsentDays", absent);
        yield return new(p + "Eligibility", eligibility);
        yield return new(p + "OverrideReason", reason);
        yield return new(p + "Version", version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
    }
}
