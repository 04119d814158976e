using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The headers of every answer (issue 7 §3) and no inline code in any rendered page. The requests are those of the
/// access table (<see cref="RouteAccessTests"/>: every route of the application, read from its EndpointDataSource),
/// each as anonymous, agent01, sup1, hr, gm and admin — pages (allowed, refused, 404), API answers with personal data
/// (including their refusals), downloads (PDF, xlsx, CSV). On every answer: a Content-Security-Policy with
/// <c>script-src 'self'</c>, <c>style-src 'self'</c>, <c>frame-ancestors 'none'</c> and no <c>'unsafe-inline'</c>
/// (except the browsable API docs as served to HR, the general manager and the administrator),
/// <c>X-Content-Type-Options: nosniff</c>, a same-origin <c>Referrer-Policy</c>, <c>X-Frame-Options: DENY</c>,
/// <c>Cache-Control: no-store</c> (static files of wwwroot: <c>no-cache</c>), no HSTS over plain HTTP; every HTML
/// body is scanned for inline script, <c>&lt;style&gt;</c>, <c>style=</c>, <c>on…=</c> handlers, <c>javascript:</c>
/// URLs and scripts or styles from other servers. Over HTTPS the answers carry HSTS; a forged Host header is
/// refused (AllowedHosts) and never reflected into a redirect.
/// </summary>
public sealed partial class HeaderTests(RouteAccessTests.App app) : IClassFixture<RouteAccessTests.App>
{
    private static readonly string[] Users = ["anonymous", "agent01", "sup1", "hr", "gm", "admin"];

    /// <summary>The roles that may read the API docs, whose page alone runs inline code.</summary>
    private static readonly string[] ApiDocsReaders = ["hr", "gm", "admin"];

    private static readonly string[] SameOriginReferrers = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every GET and every API request of the access table × every user.</summary>
    public static TheoryData<string, string> Requests()
    {
        var data = new TheoryData<string, string>();
        foreach (var request in RouteAccessTests.Rows.Select(r => r.Request).Where(IsSent).Distinct(StringComparer.Ordinal))
        {
            foreach (var user in Users)
            {
                data.Add(user, request);
            }
        }

        return data;
    }

    [Fact]
    public void Every_page_route_is_requested_by_GET()
    {
        var pages = app.Routes().Where(r => r.StartsWith("PAGE ", StringComparison.Ordinal)).ToList();
        var requested = RouteAccessTests.Rows.Where(r => r.Request.StartsWith("GET ", StringComparison.Ordinal)).Select(r => r.Route).ToHashSet(StringComparer.Ordinal);
        Assert.True(pages.Count > 25, $"only {pages.Count} pages found");
        var missing = pages.Where(p => !requested.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "pages never requested by GET in the access table: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_answer_has_the_security_headers_and_no_inline_code(string user, string request)
    {
        var (method, url, body) = await app.FillAsync(request, user);
        var client = await app.ClientAsync(user);
        using var message = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
        if (body is { } json)
        {
            message.Content = JsonContent.Create(json);
        }

        using var response = await client.SendAsync(message, Ct);
        var what = $"{user} {method} {url} → {(int)response.StatusCode}";
        Assert.True((int)response.StatusCode < 500, what);
        await AssertAnswerAsync(response, what, https: false, docsReader: ApiDocsReaders.Contains(user));
    }

    [Theory]
    [InlineData("anonymous", "/no/such/page")]
    [InlineData("agent01", "/no/such/page")]
    [InlineData("hr", "/Months/NoSuchPage")]
    [InlineData("anonymous", "/css/no-such-file.css")]
    [InlineData("agent01", "/api/no/such/route")]
    [InlineData("hr", "/api/people/999999/results")]
    [InlineData("agent01", "/api/months/2099-01/payslips/1/pdf")]
    public async Task Not_found_answers_have_the_headers_too(string user, string url)
    {
        var client = await app.ClientAsync(user);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var what = $"{user} GET {url} → {(int)response.StatusCode}";
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, what);
        await AssertAnswerAsync(response, what, https: false, docsReader: false);
    }

    [Fact]
    public async Task Static_files_of_the_site_are_revalidated_not_stored_forever_and_keep_the_other_headers()
    {
        var client = await app.ClientAsync("anonymous");
        var login = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), Ct);
        // The layout's own links (with their asp-append-version stamp) and the pages' scripts.
        var files = FileLink().Matches(login).Select(m => WebUtility.HtmlDecode(m.Groups["url"].Value)).ToList();
        Assert.Contains(files, f => f.StartsWith("/css/site.css?v=", StringComparison.Ordinal));
        files.AddRange(["/js/sheet.js", "/js/facts.js", "/css/months.css"]);
        foreach (var file in files)
        {
            using var response = await client.GetAsync(new Uri(file, UriKind.Relative), Ct);
            var what = $"GET {file} → {(int)response.StatusCode}";
            Assert.True(response.StatusCode == HttpStatusCode.OK, what);
            Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: false }, $"Cache-Control {response.Headers.CacheControl}: {what}");
            AssertStrictPolicy(Header(response, "Content-Security-Policy"), what);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }
    }

    [Fact]
    public async Task Over_HTTPS_every_answer_carries_HSTS()
    {
        var cookies = new CookieContainerHandler();
        using var client = app.CreateDefaultClient(new Uri("https://localhost"), cookies);
        using (var login = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Ct))
        {
            await AssertAnswerAsync(login, "https GET /Account/Login", https: true, docsReader: false);
        }

        using (var signedIn = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login", new Dictionary<string, string>
        {
            ["UserName"] = "agent01",
            ["Password"] = SignIn.Password,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            await AssertAnswerAsync(signedIn, "https POST /Account/Login", https: true, docsReader: false);
        }

        var me = await app.PersonIdAsync("E001");
        foreach (var url in new[] { "/", $"/Results/History?person={me}", "/api/me/data", $"/api/months/{app.Month(1)}/payslips/{me}", "/no/such/page" })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
            var what = $"https agent01 GET {url} → {(int)response.StatusCode}";
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, what);
            await AssertAnswerAsync(response, what, https: true, docsReader: false);
        }
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.2")]
    public async Task A_forged_host_is_refused_and_never_reflected(string host)
    {
        foreach (var user in new[] { "anonymous", "agent01" })
        {
            var client = await app.ClientAsync(user);
            foreach (var url in new[] { "/", "/Months", "/Account/Logout", "/lang/en?returnUrl=/Months", "/api/me/data" })
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
                message.Headers.Host = host;
                using var response = await client.SendAsync(message, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                var what = $"{user} GET {url} Host: {host} → {(int)response.StatusCode} {response.Headers.Location}";
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
                Assert.Null(response.Headers.Location);
                Assert.DoesNotContain(host.Split(':')[0], text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData("X-Forwarded-Host", "evil.example")]
    [InlineData("X-Original-Host", "evil.example")]
    [InlineData("Forwarded", "host=evil.example;proto=https")]
    public async Task A_redirect_names_this_site_whatever_a_forwarding_header_claims(string header, string value)
    {
        var client = await app.ClientAsync("anonymous");
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri("/Months", UriKind.Relative));
        message.Headers.TryAddWithoutValidation(header, value);
        using var response = await client.SendAsync(message, Ct);
        var location = response.Headers.Location;
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && location is not null, $"{(int)response.StatusCode} {location}");
        Assert.True(!location.IsAbsoluteUri || location.Host == "localhost", $"redirected to {location}");
        Assert.DoesNotContain("evil", location.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The scanner finds each kind of inline code it looks for (so that a clean scan means something).</summary>
    [Theory]
    [InlineData("<script>alert(1)</script>", "inline <script>")]
    [InlineData("<SCRIPT type=\"module\">import x from '/a.js'</SCRIPT>", "inline <script>")]
    [InlineData("<style>p{color:red}</style>", "<style>")]
    [InlineData("<p style=\"color:red\">x</p>", "style=")]
    [InlineData("<div data-x='1' STYLE=color:red>x</div>", "style=")]
    [InlineData("<button onclick=\"go()\">x</button>", "onclick=")]
    [InlineData("<img src=\"/a.png\" onerror='x()'>", "onerror=")]
    [InlineData("<body onload=go()>", "onload=")]
    [InlineData("<a href=\"javascript:go()\">x</a>", "javascript:")]
    [InlineData("<a href=\" JavaScript:go()\">x</a>", "javascript:")]
    [InlineData("<form action=\"javascript&#58;go()\"></form>", "javascript:")]
    [InlineData("<script src=\"https://cdn.example/x.js\"></script>", "another server")]
    [InlineData("<link rel=\"stylesheet\" href=\"//cdn.example/x.css\">", "another server")]
    public void The_scanner_finds_inline_code(string html, string finding)
    {
        var found = InlineCode(html);
        Assert.True(found.Any(f => f.Contains(finding, StringComparison.OrdinalIgnoreCase)), $"{html}: {string.Join("; ", found)}");
    }

    [Theory]
    [InlineData("<script src=\"/js/sheet.js?v=abc\"></script>")]
    [InlineData("<p title=\"a style=b onclick=c\">style= onclick= javascript:alert(1) &lt;script&gt;</p>")]
    [InlineData("<input name=\"onboarding\" value=\"x\"><a href=\"/help#javascript\">x</a>")]
    [InlineData("<link rel=\"stylesheet\" href=\"/css/site.css\"><a href=\"https://example.com/\">out</a>")]
    public void The_scanner_leaves_files_and_text_alone(string html) =>
        Assert.Empty(InlineCode(html));

    /// <summary>What is wrong with <paramref name="html"/> under a CSP without inline code: one line per finding.</summary>
    internal static List<string> InlineCode(string html)
    {
        var found = new List<string>();
        foreach (Match tag in Tag().Matches(html))
        {
            var name = tag.Groups["tag"].Value.ToLowerInvariant();
            var attributes = Attribute().Matches(tag.Groups["attrs"].Value)
                .Select(a => (Name: a.Groups["name"].Value.ToLowerInvariant(), Value: WebUtility.HtmlDecode(a.Groups["value"].Value).Trim()))
                .ToList();
            string? Value(string attribute) => attributes.FirstOrDefault(a => a.Name == attribute).Value;
            var shown = tag.Value.Length > 120 ? tag.Value[..120] + "…" : tag.Value;

            if (name == "script" && Value("src") is null)
            {
                found.Add("inline <script>: " + shown);
            }

            if (name == "style")
            {
                found.Add("<style> element: " + shown);
            }

            foreach (var (attribute, value) in attributes)
            {
                if (attribute == "style")
                {
                    found.Add("style= attribute: " + shown);
                }
                else if (attribute.StartsWith("on", StringComparison.Ordinal) && attribute.Length > 2)
                {
                    found.Add($"{attribute}= handler: " + shown);
                }
                else if (attribute is "href" or "src" or "action" or "formaction" or "xlink:href"
                    && value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add("javascript: URL: " + shown);
                }
            }

            var file = name switch
            {
                "script" => Value("src"),
                "link" when Value("rel")?.Contains("stylesheet", StringComparison.OrdinalIgnoreCase) == true => Value("href"),
                _ => null,
            };
            if (file is not null && (file.StartsWith("//", StringComparison.Ordinal) || file.Contains("://", StringComparison.Ordinal)))
            {
                found.Add("script or style from another server: " + shown);
            }
        }

        return found;
    }

    private static bool IsSent(string request) =>
        request.StartsWith("GET ", StringComparison.Ordinal) || request.Split(' ', 3)[1].StartsWith("/api/", StringComparison.Ordinal);

    private static async Task AssertAnswerAsync(HttpResponseMessage response, string what, bool https, bool docsReader)
    {
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        var html = response.Content.Headers.ContentType?.MediaType == "text/html";
        var policy = Header(response, "Content-Security-Policy");
        var docs = path.StartsWith("/scalar/", StringComparison.OrdinalIgnoreCase) && response.StatusCode == HttpStatusCode.OK && html;
        if (docs)
        {
            // The documented exception: the API docs start themselves inline, for the roles that may read them only.
            Assert.True(docsReader, "API docs served to a role that may not read them: " + what);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        }
        else
        {
            AssertStrictPolicy(policy, what);
        }

        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: " + what);
        Assert.True(Header(response, "X-Frame-Options") == "DENY", "X-Frame-Options: " + what);
        var referrer = Header(response, "Referrer-Policy");
        Assert.True(SameOriginReferrers.Contains(referrer), $"Referrer-Policy {referrer}: {what}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control {response.Headers.CacheControl}: {what}");
        var hsts = response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null;
        if (https)
        {
            var maxAge = hsts is null ? null : MaxAge().Match(hsts);
            Assert.True(maxAge is { Success: true } && long.Parse(maxAge.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 31_536_000,
                $"Strict-Transport-Security {hsts}: {what}");
        }
        else
        {
            Assert.True(hsts is null, "HSTS over plain HTTP: " + what);
        }

        if (html && !docs)
        {
            var found = InlineCode(await response.Content.ReadAsStringAsync(Ct));
            Assert.True(found.Count == 0, $"{what}: {string.Join("; ", found)}");
        }
    }

    private static void AssertStrictPolicy(string policy, string what)
    {
        var directives = policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : string.Empty, StringComparer.Ordinal);
        string? Directive(string name) => directives.TryGetValue(name, out var value) ? value : null;
        Assert.True(Directive("script-src") == "'self'", $"script-src {Directive("script-src")}: {what}");
        Assert.True(Directive("style-src") == "'self'", $"style-src {Directive("style-src")}: {what}");
        Assert.True(Directive("default-src") == "'self'", $"default-src {Directive("default-src")}: {what}");
        Assert.True(Directive("frame-ancestors") == "'none'", $"frame-ancestors {Directive("frame-ancestors")}: {what}");
        Assert.True(Directive("object-src") == "'none'", $"object-src {Directive("object-src")}: {what}");
        Assert.DoesNotContain("unsafe-", policy, StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;

    [GeneratedRegex(@"<(?<tag>[a-zA-Z][a-zA-Z0-9-]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*)>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<name>[^\s=""'<>/]+)(?:\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s""'>]+)))?", RegexOptions.Singleline)]
    private static partial Regex Attribute();

    [GeneratedRegex(@"(?:href|src)=""(?<url>/(?:css|js)/[^""]+)""")]
    private static partial Regex FileLink();

    [GeneratedRegex(@"max-age=(\d+)")]
    private static partial Regex MaxAge();
}
