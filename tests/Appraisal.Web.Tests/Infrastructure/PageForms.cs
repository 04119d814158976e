using Appraisal.Core.Policy;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The one way tests post a form: with the antiforgery token of the page the user sees, as a browser
/// does (sign-in, <see cref="Browser"/> and the page helpers all post through here); and the fields of
/// the bigger forms as the pages name them.
/// </summary>
public static class PageForms
{
    private const string TokenField = "__RequestVerificationToken";

    /// <summary>The antiforgery token of the first form on <paramref name="page"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string page)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(page, TestContext.Current.CancellationToken);
        return Html.AntiforgeryToken(await response.TextAsync())
            ?? throw new InvalidOperationException($"no antiforgery token on {page} ({(int)response.StatusCode})");
    }

    /// <summary>GETs <paramref name="page"/> for its token, then POSTs <paramref name="fields"/> to <paramref name="action"/>; redirects are not followed.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        await PostAsync(client, action, fields, await TokenAsync(client, page));

    /// <summary>POSTs <paramref name="fields"/> to <paramref name="action"/> with a token the caller already holds.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string action, IEnumerable<KeyValuePair<string, string>> fields, string token)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var form = new FormUrlEncodedContent(fields.Append(new(TokenField, token)));
        return await client.PostAsync(action, form, TestContext.Current.CancellationToken);
    }

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
