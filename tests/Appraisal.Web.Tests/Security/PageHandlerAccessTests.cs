using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Appraisal.App.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The access table's second half: every page HANDLER (the <c>OnPost…</c> methods behind a page's forms and its named
/// <c>OnGet…</c> downloads), which the route table sees only as one "PAGE /x" each. The handlers are read from the
/// compiled pages of Appraisal.Web by reflection: a handler added without a row here (or in
/// <see cref="RouteAccessTests"/>' rows with <c>?handler=</c>) fails <see cref="Every_page_handler_has_rows_in_the_table"/>.
/// <para>
/// Same columns, users, people and months as <see cref="RouteAccessTests"/> (its fixture), plus {curId}/{prevId} (the
/// months' ids, as the forms post them) and {badsheet} (a sheet form whose every score lies outside every level). Each
/// post carries a valid antiforgery token of the user's own session (<see cref="PageForms"/>), so a 403 is the access
/// rule, not the token. The same request goes to every user: where the allowed user gets a 400/404/409 from validation
/// or state and the others a 403, the difference is the user alone. 401: sent to sign in; 403: refused (the page's
/// refusal, or Forbid()'s denied page); 302: done (a redirect after a good post). Every post is checked to change nothing
/// (counts and versions of every table a handler writes, the audit without reads) unless its expected status is 302.
/// </para>
/// </summary>
public sealed class PageHandlerAccessTests(RouteAccessTests.App app) : IClassFixture<RouteAccessTests.App>
{
    private static readonly string?[] Users = [null, "agent01", "sup1", "hr", "gm", "admin"];

    /// <summary>Handlers without rows, each with the tests that cover it instead (they are not access rules over data).</summary>
    private static readonly Dictionary<string, string> Elsewhere = new(StringComparer.Ordinal)
    {
        // Signing in and out would end the table's sessions; SignInTests and SessionTests try them.
        ["POST /Account/Login"] = "SignInTests",
        ["POST /Account/Logout"] = "SessionTests",
    };

    /// <summary>"METHOD /page?query" (with handler=…), the form (or a JSON body), the status per user.</summary>
    private static readonly (string Request, string Form, int[] Expected)[] Rows =
    [
        // ---- The month overview: HR and the GM compute, the GM confirms and reopens ------------- anon agent sup  hr   gm   admin
        ("POST /Results/Month?month={prev}&handler=Compute", "monthId={prevId}", [401, 403, 403, 409, 409, 403]),
        ("POST /Results/Month?month={prev}&handler=Confirm", "monthId={prevId}&version=-1&confirmed=true", [401, 403, 403, 403, 409, 403]),
        ("POST /Results/Month?month={prev}&handler=Reopen", "monthId={prevId}&version=0&reason=&confirmed=true", [401, 403, 403, 403, 400, 403]),

        // ---- Months: HR opens one ------------------------------------------------------------
        ("POST /Months?handler=Open", "NewMonth={cur}", [401, 403, 403, 409, 403, 403]),

        // ---- Facts: HR enters them in an open month, the GM reads them (FactsAccess) -----------
        ("POST /Months/Facts?month={cur}&handler=Save", "Rows[0].PersonId=0&Rows[0].SalesPlan=1&Rows[0].SalesActual=1&Rows[0].AbsentDays=0", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Facts?month={prev}&handler=Save", "Rows[0].PersonId=0&Rows[0].SalesPlan=1&Rows[0].SalesActual=1&Rows[0].AbsentDays=0", [401, 403, 403, 409, 403, 403]),
        ("POST /Months/Facts?month={cur}&handler=Changes", "{\"rows\":[{\"personId\":0,\"salesPlan\":\"1\"}]}", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Facts?month={cur}&handler=Adjust", "AdjustPersonId=0&AdjustAmount=1&AdjustReason=x", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Facts?month={prev}&handler=Adjust", "AdjustPersonId=0&AdjustAmount=1&AdjustReason=x", [401, 403, 403, 409, 403, 403]),
        ("POST /Months/Facts?month={cur}&handler=Extend", "ExtendPersonId=0&ExtendUntil=&ExtendReason=x", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Facts?month={prev}&handler=Compute", "", [401, 403, 403, 409, 409, 403]),

        // ---- Feedback talks: the person's own supervisor only -----------------------------------
        ("POST /Months/Team?month={cur}&handler=Talk", "TalkPersonId={mate}&TalkDate=&TalkNotes=", [401, 403, 400, 403, 403, 403]),
        ("POST /Months/Team?month={cur}&handler=Talk", "TalkPersonId={stranger}&TalkDate=&TalkNotes=", [401, 403, 403, 403, 403, 403]),
        ("POST /Months/Team?month={cur}&handler=Talk", "TalkPersonId={me}&TalkDate=&TalkNotes=", [401, 403, 403, 403, 403, 403]),

        // ---- Sheets (D16, D19, D22): the agent his self-assessment, his supervisor the other (the demo's submitted
        //      supervisor sheets answer their supervisor 409: submitted or confirmed, nothing to change) -------------
        ("POST /Sheets/Edit?month={cur}&person={me}&kind=Self", "{badsheet}", [401, 400, 404, 404, 404, 403]),
        ("POST /Sheets/Edit?month={cur}&person={me}&kind=Supervisor", "{badsheet}", [401, 403, 403, 403, 403, 403]),
        ("POST /Sheets/Edit?month={cur}&person={mate}&kind=Self", "{badsheet}", [401, 403, 403, 403, 403, 403]),
        ("POST /Sheets/Edit?month={cur}&person={mate}&kind=Supervisor", "{badsheet}", [401, 403, 409, 403, 403, 403]),
        ("POST /Sheets/Edit?month={prev}&person={mate}&kind=Supervisor", "{badsheet}", [401, 403, 409, 403, 403, 403]),
        ("POST /Sheets/Edit?month={cur}&person={stranger}&kind=Supervisor", "{badsheet}", [401, 403, 403, 403, 403, 403]),

        // ---- Payslip: only the person acknowledges or appeals ------------------------------------
        ("POST /Pay/Payslip?month={cur}&person={me}&handler=Acknowledge", "monthId={curId}", [401, 409, 409, 409, 409, 403]),
        ("POST /Pay/Payslip?month={cur}&person={mate}&handler=Acknowledge", "monthId={curId}", [401, 403, 403, 403, 403, 403]),
        ("POST /Pay/Payslip?month={prev}&person={me}&handler=Appeal", "monthId={prevId}&reason=", [401, 400, 400, 400, 400, 403]),
        ("POST /Pay/Payslip?month={prev}&person={stranger}&handler=Appeal", "monthId={prevId}&reason=x", [401, 403, 403, 403, 403, 403]),

        // ---- Appeals and reviews: HR and the GM decide appeals; HR the reviews -------------------
        ("POST /Results/Appeals?handler=Decide", "appealId=999999&version=0&upheld=false&note=x&confirmed=true", [401, 403, 403, 404, 404, 403]),
        ("POST /Results/Reviews?handler=Decide", "reviewId=999999&version=0&decision=x", [401, 403, 403, 404, 403, 403]),
        ("POST /Results/Reviews?handler=Step", "reviewId=999999&version=0&kind=training&date=2026-01-05&note=x", [401, 403, 403, 404, 403, 403]),

        // ---- People: HR keeps the list; the administrator the sign-in accounts ---------------------
        ("POST /People/Edit", "EmployeeNo=&Name=&Role=Agent&HireDate=2020-01-01", [401, 403, 403, 400, 403, 403]),
        ("POST /People/Edit?id={stranger}", "EmployeeNo=&Name=&Role=Agent&HireDate=&Version=0", [401, 403, 403, 400, 403, 403]),
        ("POST /People/Accounts?handler=Create", "userName=&password=&employeeNo=", [401, 403, 403, 403, 403, 400]),
        ("POST /People/Accounts?handler=Reset", "userId=nobody&password=x", [401, 403, 403, 403, 403, 404]),
        // HR sets addresses too (the people import's e-mail column goes through the same command).
        ("POST /People/Accounts?handler=Email", "userId=nobody&email=", [401, 403, 403, 404, 403, 404]),
        ("POST /People/Accounts?handler=Unlock", "userId=nobody", [401, 403, 403, 403, 403, 404]),
        ("POST /People/Accounts?handler=Lock", "userId=nobody&version=x", [401, 403, 403, 403, 403, 404]),
        ("POST /People/Accounts?handler=Lock", "userId=nobody&version=x&confirmed=true", [401, 403, 403, 403, 403, 404]),
        ("GET /People/MyData?handler=Download", "", [401, 200, 200, 200, 200, 404]),
        ("GET /People/MyData?handler=Download&EmployeeNo=E007", "", [401, 403, 403, 200, 200, 403]),

        // ---- Imports (HR) ----------------------------------------------------------------------
        ("POST /Months/Import?month={cur}&kind=sales&handler=Upload", "", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Import?month={cur}&kind=sales&handler=Paste", "Pasted=", [401, 403, 403, 400, 403, 403]),
        ("POST /Months/Import?month={cur}&kind=sales&handler=Confirm", "Token=x", [401, 403, 403, 404, 403, 403]),
        ("POST /People/Import?handler=Upload", "", [401, 403, 403, 400, 403, 403]),
        ("POST /People/Import?handler=Paste", "Pasted=", [401, 403, 403, 400, 403, 403]),
        ("POST /People/Import?handler=Confirm", "Token=x", [401, 403, 403, 404, 403, 403]),
        ("GET /People/Import?handler=Template&format=csv", "", [401, 403, 403, 200, 403, 403]),

        // ---- Policy (D18): HR drafts and edits drafts, the GM approves (HR's draft is a real one: 302) ---
        ("POST /Policy/Version?id={policy}&handler=Draft", "", [401, 403, 403, 302, 403, 403]),
        ("POST /Policy/Version?id={policy}&handler=Edit", "RowVersion=0", [401, 403, 403, 409, 403, 403]),
        ("POST /Policy/Version?id={policy}&handler=Json", "Json=%7B%7D&RowVersion=0", [401, 403, 403, 409, 403, 403]),
        ("POST /Policy/Version?id={policy}&handler=Approve", "EffectiveMonth=&RowVersion=0", [401, 403, 403, 403, 400, 403]),

        // ---- The status page answers a re-executed POST as it answers a GET ----------------------------
        ("POST /Status?code=404", "", [404, 404, 404, 404, 404, 404]),
    ];

    private readonly Dictionary<string, Task<string>> tokens = [];

    public static TheoryData<string, string, string, int> Table()
    {
        var data = new TheoryData<string, string, string, int>();
        foreach (var (request, form, expected) in Rows)
        {
            for (var i = 0; i < Users.Length; i++)
            {
                data.Add(Users[i] ?? "anonymous", request, form, expected[i]);
            }
        }

        return data;
    }

    [Fact]
    public void Every_row_has_one_status_per_user() =>
        Assert.All(Rows, row => Assert.True(row.Expected.Length == Users.Length, row.Request));

    [Fact]
    public void Every_page_handler_has_rows_in_the_table()
    {
        var handlers = Handlers();
        Assert.True(handlers.Count > 30, $"only {handlers.Count} page handlers found");
        var covered = Rows.Select(r => Key(r.Request))
            .Concat(RouteAccessTests.Requests().Where(r => r.Contains("handler=", StringComparison.Ordinal)).Select(Key))
            .Concat(Elsewhere.Keys)
            .ToHashSet(StringComparer.Ordinal);
        var missing = handlers.Where(h => !covered.Contains(h)).ToList();
        var stale = Rows.Select(r => Key(r.Request)).Concat(Elsewhere.Keys).Where(k => !handlers.Contains(k)).Distinct().ToList();
        Assert.True(missing.Count == 0, "page handlers without rows in the access table: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "rows for page handlers the application does not have: " + string.Join(", ", stale));
    }

    [Fact]
    public void Every_handler_refuses_someone_and_lets_someone_past_its_rule()
    {
        // A handler's rows prove its rule only when the same requests are answered differently by user: someone signed in
        // is refused (403) and someone gets past the rule (any other answer). The status page alone is open to everyone.
        foreach (var handler in Rows.GroupBy(r => Key(r.Request)).Where(g => g.Key != "POST /Status"))
        {
            var signedIn = handler.SelectMany(r => r.Expected.Skip(1)).ToList();
            Assert.True(signedIn.Contains(403), handler.Key + ": nobody is refused");
            Assert.True(signedIn.Any(s => s != 403), handler.Key + ": nobody gets past the rule");
        }
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Role_handler_and_person_give_the_status_of_the_table(string user, string request, string form, int expected)
    {
        var (method, url, body) = await FillAsync(request, form, user);
        var client = await app.ClientAsync(user);
        var before = await FingerprintAsync();
        var actual = await SendAsync(client, user, method, url, body);

        Assert.True(expected == actual, $"{user} {method} {url} [{body}]: expected {expected}, got {actual}");
        if (method == "POST" && expected != 302)
        {
            // A refused or invalid post changes nothing.
            Assert.Equal(before, await FingerprintAsync());
        }
    }

    /// <summary>Every handler of every compiled page of Appraisal.Web as "VERB /Page Handler" (named GETs only: a page's own GET is the route table's).</summary>
    private static HashSet<string> Handlers()
    {
        var web = typeof(Program).Assembly;
        var handlers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in web.GetCustomAttributes<RazorCompiledItemAttribute>().Where(i => i.Kind == "mvc.1.0.razor-page"))
        {
            var page = item.Identifier["/Pages".Length..^".cshtml".Length];
            var model = item.Type.GetProperty("Model")?.PropertyType;
            if (model is null || !typeof(PageModel).IsAssignableFrom(model))
            {
                continue;
            }

            foreach (var method in model.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.DeclaringType?.Assembly == web && !m.IsSpecialName && m.GetCustomAttribute<NonHandlerAttribute>() is null))
            {
                var match = System.Text.RegularExpressions.Regex.Match(method.Name, "^On(Get|Post|Put|Delete|Patch)(.*?)(Async)?$");
                if (!match.Success || (match.Groups[1].Value == "Get" && match.Groups[2].Value.Length == 0))
                {
                    continue;
                }

                handlers.Add(Name(match.Groups[1].Value.ToUpperInvariant(), page, match.Groups[2].Value));
            }
        }

        return handlers;
    }

    private static string Name(string verb, string page, string handler) => handler.Length == 0 ? $"{verb} {page}" : $"{verb} {page} {handler}";

    /// <summary>The handler a request names: "POST /Months/Facts?month=…&amp;handler=Save" → "POST /Months/Facts Save" ("/Months" is "/Months/Index").</summary>
    private static string Key(string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var url = request[(space + 1)..].Split('|')[0];
        var path = url.Split('?')[0];
        var query = url.Contains('?', StringComparison.Ordinal) ? url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var handler = query.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "handler" && p.Length == 2)?[1] ?? string.Empty;
        if (path is "/Months" or "/People" or "/Results" or "/Audit" or "/Policy" or "/")
        {
            path = path.TrimEnd('/') + "/Index";
        }

        return Name(request[..space], path, handler);
    }

    private async Task<(string Method, string Url, string Body)> FillAsync(string request, string form, string user)
    {
        var (method, url, _) = await app.FillAsync(await MonthIdsAsync(request), user);
        var body = form.Replace("{badsheet}", BadSheet, StringComparison.Ordinal);
        if (body.Length > 0)
        {
            // The route table's own placeholders ({me}, {mate}, {cur}, …), through its fixture.
            body = (await app.FillAsync("X " + await MonthIdsAsync(body), user)).Url;
        }

        return (method, url, body);
    }

    /// <summary>{curId}, {prevId}: the open and the confirmed month's ids, as the forms post them.</summary>
    private async Task<string> MonthIdsAsync(string text)
    {
        if (!text.Contains("Id}", StringComparison.Ordinal))
        {
            return text;
        }

        var months = (await app.FillAsync("X {cur},{prev}", "hr")).Url.Split(',');
        var ids = await app.DbAsync(db => db.Months.AsNoTracking().ToDictionaryAsync(m => m.Month, m => m.Id, TestContext.Current.CancellationToken));
        return text
            .Replace("{curId}", ids[months[0]].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{prevId}", ids[months[1]].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>The seed policy's sheet form with every score outside every level: an allowed editor is answered 400.</summary>
    private static string BadSheet => string.Join("&", PageForms.Sheet("save", _ => (0, "999"))
        .Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    /// <summary>The status of a request; a redirect to sign-in is 401, to the denied page 403 (as in the route table).</summary>
    private async Task<int> SendAsync(HttpClient client, string user, string method, string url, string body)
    {
        if (method == "GET")
        {
            return await RouteAccessTests.App.StatusAsync(client, method, url, null);
        }

        var token = await TokenAsync(client, user);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative));
        if (body.StartsWith('{'))
        {
            // The facts page's script: JSON with the page's token in the header.
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            request.Headers.Add("X-CSRF-TOKEN", token);
        }
        else
        {
            List<KeyValuePair<string, string>> fields = body.Length == 0 ? [] : body.Split('&').Select(p => p.Split('=', 2))
                .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty)).ToList();
            fields.Add(new("__RequestVerificationToken", token));
            request.Content = new FormUrlEncodedContent(fields);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location)
        {
            var path = Browser.PathOf(location);
            return path.StartsWith("/Account/Login", StringComparison.Ordinal) ? 401
                : path.StartsWith("/Account/Denied", StringComparison.Ordinal) ? 403
                : 302;
        }

        return (int)response.StatusCode;
    }

    /// <summary>The antiforgery token of the user's own session: from the sign-in page without one, else from the home page's sign-out form.</summary>
    private Task<string> TokenAsync(HttpClient client, string user)
    {
        lock (tokens)
        {
            if (!tokens.TryGetValue(user, out var token))
            {
                token = PageForms.TokenAsync(client, user == "anonymous" ? "/Account/Login" : "/");
                tokens[user] = token;
            }

            return token;
        }
    }

    /// <summary>The route table's counts, and those of the people, teams and accounts (passwords, e-mail, lock-outs) a handler here could change.</summary>
    private async Task<string> FingerprintAsync() => await app.FingerprintAsync() + "|" + await app.DbAsync(async db => string.Join(",",
        await db.People.CountAsync(TestContext.Current.CancellationToken), await db.People.SumAsync(p => p.Version, TestContext.Current.CancellationToken),
        await db.Teams.CountAsync(TestContext.Current.CancellationToken),
        string.Join(";", (await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(TestContext.Current.CancellationToken))
            .Select(u => string.Join("/", u.UserName, u.PasswordHash, u.Email, u.SecurityStamp, u.LockoutEnd?.ToString("O", CultureInfo.InvariantCulture), u.AccessFailedCount)))));
}
