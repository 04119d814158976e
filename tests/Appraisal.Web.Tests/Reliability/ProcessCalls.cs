using System.Net;
using System.Text.Json;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>What the process tests share: their month, their patience, signing in and the facts API's rows.</summary>
public static class ProcessCalls
{
    /// <summary>A guard against hanging for ever, not a timing: generous for a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>The month the seeded company has open (last month).</summary>
    public static YearMonth Month => YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;

    /// <summary>A client signed in through the sign-in form (antiforgery token, cookie), with the Origin a browser sends and the API write token.</summary>
    public static async Task<HttpClient> SignedInAsync(AppProcess app, string user)
    {
        ArgumentNullException.ThrowIfNull(app);
#pragma warning disable CA2000 // The client owns the handler.
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }, disposeHandler: true)
        {
            BaseAddress = app.Address,
            Timeout = Patience,
        };
#pragma warning restore CA2000
        client.DefaultRequestHeaders.Add("Origin", app.Address.GetLeftPart(UriPartial.Authority));
        await BenchCompany.SignInAsync(client, user, ProcessDatabase.Password);
        // API writes carry the session's token from GET /api/antiforgery in the header it names.
        using var answer = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/antiforgery", UriKind.Relative)));
        client.DefaultRequestHeaders.Add(answer.RootElement.GetProperty("headerName").GetString()!, answer.RootElement.GetProperty("token").GetString());

        return client;
    }

    /// <summary>The month's facts rows as the API gives them to HR (reading them is audited as pay.read).</summary>
    public static async Task<List<JsonElement>> FactsRowsAsync(HttpClient hr)
    {
        ArgumentNullException.ThrowIfNull(hr);
        using var facts = await hr.GetAsync(new Uri($"/api/months/{Month}/facts", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, facts.StatusCode);
        using var json = JsonDocument.Parse(await facts.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.Clone()).ToList();
    }

    /// <summary>A row of PUT …/facts: the row as read, its actual sales raised by <paramref name="more"/>, with its version.</summary>
    public static object Raised(JsonElement row, decimal more) => new
    {
        personId = row.GetProperty("personId").GetInt32(),
        salesPlan = row.GetProperty("salesPlan").GetDecimal(),
        salesActual = row.GetProperty("salesActual").GetDecimal() + more,
        absentDays = row.GetProperty("absentDays").GetInt32(),
        version = row.GetProperty("version").GetInt32(),
    };
}
