using System.Globalization;
using System.Net;
using Appraisal.Core.Policy;
using Appraisal.Web.Pages.Policy;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Policy;

/// <summary>Drives the policy pages as a browser would: anti-forgery token, form posts to the page handlers.</summary>
public static class PolicyPages
{
    public static Task<PolicyVersion> RowAsync(AppFactory app, int id) =>
        app.DbAsync(db => db.PolicyVersions.AsNoTracking().FirstAsync(p => p.Id == id));

    public static Task<int> SeedIdAsync(AppFactory app) =>
        app.DbAsync(db => db.PolicyVersions.Where(p => p.VersionName == DefaultPolicy.Instance.Version).Select(p => p.Id).FirstAsync());

    /// <summary>HR's "new draft from this version"; returns the new draft's id.</summary>
    public static async Task<int> DraftAsync(HttpClient client, int fromId)
    {
        using var response = await DraftResponseAsync(client, fromId);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"draft failed: {(int)response.StatusCode}");
        }

        var query = response.Headers.Location!.OriginalString;
        return int.Parse(query[(query.IndexOf("id=", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);
    }

    public static Task<HttpResponseMessage> DraftResponseAsync(HttpClient client, int fromId) => PostAsync(client, fromId, "Draft", []);

    public static Task<HttpResponseMessage> EditAsync(HttpClient client, int id, PolicyForm form, int rowVersion) =>
        PostAsync(client, id, "Edit", [.. Fields(form), new("RowVersion", rowVersion.ToString(CultureInfo.InvariantCulture))]);

    public static Task<HttpResponseMessage> EditJsonAsync(HttpClient client, int id, string json, int rowVersion) =>
        PostAsync(client, id, "Json", [new("Json", json), new("RowVersion", rowVersion.ToString(CultureInfo.InvariantCulture))]);

    /// <summary>The general manager's second press (the first, <paramref name="confirmed"/> false, shows what approving will do and changes nothing).</summary>
    public static Task<HttpResponseMessage> ApproveAsync(HttpClient client, int id, string effectiveMonth, int rowVersion, bool confirmed = true) =>
        PostAsync(client, id, "Approve", [new("EffectiveMonth", effectiveMonth), new("RowVersion", rowVersion.ToString(CultureInfo.InvariantCulture)), new("Confirmed", confirmed ? "true" : "false")]);

    /// <summary>The form fields as the edit form names them.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Fields(PolicyForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        IEnumerable<KeyValuePair<string, string>> List(string name, List<string?> values) =>
            values.Select((v, i) => new KeyValuePair<string, string>($"Form.{name}[{i}]", v ?? string.Empty));

        return List(nameof(form.Salaries), form.Salaries)
            .Concat(List(nameof(form.MinScores), form.MinScores))
            .Concat(List(nameof(form.TierMins), form.TierMins))
            .Concat(List(nameof(form.TierRates), form.TierRates))
            .Concat(List(nameof(form.LevelZh), form.LevelZh))
            .Concat(List(nameof(form.LevelEn), form.LevelEn))
            .Concat(new Dictionary<string, string>
            {
                ["Form.BonusAmount"] = form.BonusAmount ?? string.Empty,
                ["Form.WindowMonths"] = form.WindowMonths ?? string.Empty,
                ["Form.MaxAbsentDays"] = form.MaxAbsentDays ?? string.Empty,
                ["Form.FromDay"] = form.FromDay ?? string.Empty,
                ["Form.ToDay"] = form.ToDay ?? string.Empty,
                ["Form.AppealDays"] = form.AppealDays ?? string.Empty,
                ["Form.Note"] = form.Note ?? string.Empty,
            });
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, int id, string handler, List<KeyValuePair<string, string>> fields)
    {
        var url = $"/Policy/Version?id={id}";
        return PageForms.PostAsync(client, url, $"{url}&handler={handler}", fields);
    }
}
