using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Hostile;

/// <summary>The application under the hostile corpus, with one signed-in client per user and language.</summary>
public sealed class HostileApp : AppFactory
{
    private readonly ConcurrentDictionary<(string User, string Language), Task<HttpClient>> clients = new();

    public Task<HttpClient> ClientAsync(string user, string language) => clients.GetOrAdd((user, language), async key =>
    {
        var client = key.User == "anonymous" ? SignIn.Anonymous(this) : await SignIn.AsAsync(this, key.User);
        // Each client chooses its language explicitly, as a user would with the switch.
        using var chosen = await client.GetAsync(new Uri(key.Language == "en" ? "/lang/en" : "/lang/zh-CN", UriKind.Relative), TestContext.Current.CancellationToken);

        return client;
    });

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            (await client).Dispose();
        }

        await base.DisposeAsync();
    }
}

/// <summary>
/// Every case of the hostile corpus (<c>Hostile/Corpus</c>; see <see cref="HostileCase"/>), in Chinese and — for
/// page forms — English: the answer is the expected refusal, never a server error; an API problem names what and
/// where in both languages; a page shows the message in the user's language on a page; nothing in the database
/// changed (every table compared before and after); no marker of injected HTML comes back unescaped; and the server
/// still answers afterwards.
/// </summary>
public sealed class HostileInputTests(HostileApp app) : IClassFixture<HostileApp>
{
    /// <summary>Text the corpus injects; it must never come back as markup.</summary>
    private static readonly string[] Markers = ["<script>alert", "<img src=x onerror", "<svg onload", "javascript:alert"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in HostileCase.All())
        {
            data.Add(name, "zh");
            if (HostileCase.Load(name).IsForm)
            {
                data.Add(name, "en");
            }
        }

        return data;
    }

    [Fact]
    public void The_corpus_is_there_and_covers_every_kind_of_input()
    {
        var cases = HostileCase.All().Select(HostileCase.Load).ToList();
        Assert.True(cases.Count >= 60, $"only {cases.Count} cases in {HostileCase.Folder}");
        Assert.Contains(cases, c => c.IsForm);
        Assert.Contains(cases, c => c.IsApi && c.Body.Length > 0);
        Assert.Contains(cases, c => c.Method == "GET" && c.Url.Contains('?', StringComparison.Ordinal));

        // Each case expects the one status the code gives: a loose set ("302 400 403 404") would let a change of rule pass unseen.
        var loose = cases.Where(c => c.Expect.Count != 1).Select(c => c.Name).ToList();
        Assert.True(loose.Count == 0, "cases expecting more than one status: " + string.Join(", ", loose));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_input_is_refused_clearly_and_changes_nothing(string name, string language)
    {
        var test = HostileCase.Load(name);
        var demo = await Demo.LoadAsync(app);
        var teams = await app.DbAsync(db => db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id, TestContext.Current.CancellationToken));
        string Fill(string text) => HostileCase.Fill(text, no => demo.Id(no).ToString(System.Globalization.CultureInfo.InvariantCulture),
            team => teams[team].ToString(System.Globalization.CultureInfo.InvariantCulture),
            demo.Current.ToString(), demo.Previous.ToString());

        var client = await app.ClientAsync(test.User, language);
        string? token = null;
        if (test.FormPage is { } page)
        {
            token = await PageForms.TokenAsync(client, Fill(page));
        }

        var before = await DatabaseSnapshot.TakeAsync(app);
        using var request = new HttpRequestMessage(new HttpMethod(test.Method), new Uri(Fill(test.Url), UriKind.Relative));
        var contentType = test.Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        if (token is not null)
        {
            var fields = HostileCase.FormFields(Fill(test.Body));
            fields.Add(new("__RequestVerificationToken", token));
            request.Content = new FormUrlEncodedContent(fields);
        }
        else if (test.Body.Length > 0 || contentType is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(test.Body)));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        foreach (var (key, value) in test.Headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(key, Fill(value));
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var status = (int)response.StatusCode;
        var summary = $"{name} ({language}): {test.Method} {test.Url} → {status} {Shorten(text)}";

        Assert.True(status < 500, summary);
        Assert.True(test.Expect.Contains(status), $"expected {string.Join(" or ", test.Expect)}; " + summary);
        foreach (var marker in Markers)
        {
            Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"unescaped \"{marker}\" in the answer of " + summary);
        }

        foreach (var hidden in test.Hides)
        {
            Assert.False(text.Contains(hidden, StringComparison.Ordinal), $"another person's \"{hidden}\" in the answer of " + summary);
        }

        if (test.IsApi)
        {
            AssertProblem(test, text, response, summary);
        }
        else if (status != (int)HttpStatusCode.Redirect && status != (int)HttpStatusCode.Unauthorized)
        {
            AssertPage(test, text, response, language, summary);
        }

        var after = await DatabaseSnapshot.TakeAsync(app);
        var changed = DatabaseSnapshot.Differences(before, after);
        Assert.True(changed.Count == 0, $"{summary} changed the database: {string.Join("; ", changed)}");

        // The server is still up and still answers a plain request.
        var hr = await app.ClientAsync("hr", "zh");
        using var alive = await hr.GetAsync(new Uri("/api/months", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private static void AssertProblem(HostileCase test, string text, HttpResponseMessage response, string summary)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return;
        }

        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", "not a problem: " + summary);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var zh = root.TryGetProperty("zh", out var zhText) ? zhText.GetString() : null;
        var en = root.TryGetProperty("en", out var enText) ? enText.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(zh), summary);
        Assert.False(string.IsNullOrWhiteSpace(en), summary);
        Assert.True(zh != en, "the Chinese and English messages are the same: " + summary);
        var all = new StringBuilder().Append(zh).Append('\n').Append(en);
        if (root.TryGetProperty("errors", out var errors))
        {
            foreach (var e in errors.EnumerateArray())
            {
                foreach (var field in new[] { "where", "zh", "en" })
                {
                    var value = e.TryGetProperty(field, out var v) ? v.GetString() : null;
                    Assert.False(string.IsNullOrWhiteSpace(value), $"an error without {field}: " + summary);
                    all.Append('\n').Append(value);
                }
            }
        }

        foreach (var name in test.Names)
        {
            Assert.True(all.ToString().Contains(name, StringComparison.Ordinal), $"the problem does not name \"{name}\": " + summary);
        }
    }

    private static void AssertPage(HostileCase test, string text, HttpResponseMessage response, string language, string summary)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "text/html", "a page must answer with a page: " + summary);
        if (!test.IsForm)
        {
            return;
        }

        var error = Html.Error(text);
        Assert.True(error is not null, "no message on the page: " + summary);
        var cjk = error.Count(c => c is >= '\u4e00' and <= '\u9fff');
        var latin = error.Count(char.IsAsciiLetter);
        Assert.True(language == "en" ? latin > cjk : cjk > 0, $"the message is not in {language}: {error}; " + summary);
        foreach (var name in test.Names)
        {
            Assert.True(error.Contains(name, StringComparison.Ordinal), $"the message does not name \"{name}\": {error}; " + summary);
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
