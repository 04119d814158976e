using System.Net;
using System.Net.Http.Json;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// What an API client of a signed-in session does on every write (docs/api.md): POST, PUT, PATCH and DELETE
/// under <c>/api</c> carry the session's antiforgery token (from <c>GET /api/antiforgery</c>) in
/// <c>X-CSRF-TOKEN</c>. The token is fetched again whenever the session cookie changes (sign-in, sign-out);
/// a request that already names the header is sent as it is.
/// </summary>
public sealed class ApiTokenHandler(CookieContainer cookies) : DelegatingHandler
{
    public const string HeaderName = "X-CSRF-TOKEN";

    private string? session;
    private string? token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsApiWrite(request) && !request.Headers.Contains(HeaderName) && await TokenAsync(request.RequestUri!, cancellationToken) is { } value)
        {
            request.Headers.Add(HeaderName, value);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static bool IsApiWrite(HttpRequestMessage request) =>
        request.RequestUri is { } uri && uri.AbsolutePath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
        && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options;

    private async Task<string?> TokenAsync(Uri uri, CancellationToken ct)
    {
        var now = cookies.GetCookies(uri)["appraisal.auth"]?.Value;
        if (now is null)
        {
            return null;
        }

        if (now != session || token is null)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, "/api/antiforgery"));
            using var response = await base.SendAsync(get, ct);
            token = response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<Answer>(ct))?.Token : null;
            session = now;
        }

        return token;
    }

    private sealed record Answer(string HeaderName, string Token);
}
