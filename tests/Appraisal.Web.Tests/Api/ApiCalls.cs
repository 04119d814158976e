using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Appraisal.Web.Tests.Api;

/// <summary>JSON calls of the API tests: send a body, read the answer, check a problem's status and errors.</summary>
internal static class ApiCalls
{
    public static Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(this HttpClient client, string method, string url, object? body = null) =>
        client.SendContentAsync(method, url, body is null ? null : JsonContent.Create(body));

    /// <summary>Sends <paramref name="json"/> exactly as written (for bodies a serializer would not produce, such as a key given twice).</summary>
    public static Task<(HttpStatusCode Status, JsonElement Body)> SendJsonTextAsync(this HttpClient client, string method, string url, string json) =>
        client.SendContentAsync(method, url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendContentAsync(this HttpClient client, string method, string url, HttpContent? content)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Content = content;
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // A download (a template, a workbook) is no JSON: its status is what the caller checks.
        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != false;
        var json = text.Length == 0 || !isJson ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    /// <summary>Asserts a problem with <paramref name="status"/>; returns its errors (empty when it has none).</summary>
    public static List<string> AssertProblem(this (HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status)
    {
        Assert.True(status == answer.Status, $"expected {status}, got {answer.Status}: {answer.Body}");
        Assert.Equal(JsonValueKind.Object, answer.Body.ValueKind);
        Assert.True(answer.Body.TryGetProperty("zh", out _), answer.Body.ToString());
        return answer.Body.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("en").GetString()!).ToList()
            : [];
    }

    public static JsonElement AssertOk(this (HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(status == answer.Status, $"expected {status}, got {answer.Status}: {answer.Body}");
        return answer.Body;
    }
}
