using System.Net;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Security;

/// <summary>What a GET of a page gives: the page, D19's refusal, or the sign-in page.</summary>
public enum Outcome
{
    /// <summary>200 with the page.</summary>
    Allowed,

    /// <summary>403: either directly, or Forbid()'s redirect to /Account/Denied, which answers 403.</summary>
    Refused,

    /// <summary>302 to /Account/Login (no session).</summary>
    SignIn,
}

/// <summary>
/// The pages' access table (D19): role × page × own/other → allowed or refused, one GET each (the
/// API has its own table in <c>Api/AccessTests</c>). Demo: sup1 leads agent01–agent06 (E001–E006),
/// sup2 agent07–agent12; the current month is open, the one before confirmed.
/// </summary>
public sealed class PageAccessTests(PageAccessTests.App app) : IClassFixture<PageAccessTests.App>
{
    private const Outcome Ok = Outcome.Allowed;
    private const Outcome No = Outcome.Refused;
    private const Outcome In = Outcome.SignIn;

    /// <summary>The users of the columns; null is a visitor without a session.</summary>
    internal static readonly string?[] Users = [null, "agent01", "sup1", "hr", "gm", "admin"];

    /// <summary>
    /// {own} is the signed-in user's own person for the agent (agent01), a member of their own team for
    /// the supervisor (agent02), and agent01 for everyone else; {other} is agent07, of the other team.
    /// {open}/{confirmed} are the open current and the confirmed previous month; {policy} the version in force.
    /// </summary>
    internal static readonly (string Page, Outcome[] Expected)[] Rows =
    [
        //                                                              anonymous agent01 sup1 hr  gm  admin
        ("/",                                                          [In, Ok, Ok, Ok, Ok, Ok]),
        ("/Months",                                                    [In, Ok, Ok, Ok, Ok, Ok]),
        ("/Months/Team?month={open}",                                  [In, No, Ok, Ok, Ok, No]),
        ("/Months/Facts?month={open}",                                 [In, No, No, Ok, Ok, No]),
        ("/Sheets/Edit?month={open}&person={own}&kind=Self",           [In, Ok, Ok, Ok, Ok, No]),
        ("/Sheets/Edit?month={open}&person={other}&kind=Self",         [In, No, No, Ok, Ok, No]),

        // The supervisor's assessment reaches the employee only once the month is published (D16).
        ("/Sheets/Edit?month={open}&person={own}&kind=Supervisor",     [In, No, Ok, Ok, Ok, No]),
        ("/Sheets/Edit?month={confirmed}&person={own}&kind=Supervisor", [In, Ok, Ok, Ok, Ok, No]),
        ("/Sheets/Edit?month={open}&person={other}&kind=Supervisor",   [In, No, No, Ok, Ok, No]),

        // The month overview ranks people by name: an agent gets their own rank elsewhere (payslip, history).
        ("/Results/Month?month={confirmed}",                           [In, No, Ok, Ok, Ok, No]),
        ("/Pay/Payslip?month={confirmed}&person={own}",                [In, Ok, Ok, Ok, Ok, No]),
        ("/Pay/Payslip?month={confirmed}&person={other}",              [In, No, No, Ok, Ok, No]),
        ("/Results/History?person={own}",                              [In, Ok, Ok, Ok, Ok, No]),
        ("/Results/History?person={other}",                            [In, No, No, Ok, Ok, No]),

        // HR's and the general manager's lists span the whole company.
        ("/Results/Reviews",                                           [In, No, No, Ok, Ok, No]),
        ("/Results/Appeals",                                           [In, No, No, Ok, Ok, No]),
        ("/Results/Decisions?month={confirmed}",                       [In, No, No, Ok, Ok, No]),
        ("/People",                                                    [In, No, No, Ok, Ok, No]),
        ("/People/Detail?id={own}",                                    [In, No, No, Ok, Ok, No]),
        ("/People/Detail?id={other}",                                  [In, No, No, Ok, Ok, No]),

        // HR keeps the people list; only the administrator manages sign-in accounts.
        ("/People/Edit",                                               [In, No, No, Ok, No, No]),
        ("/People/Edit?id={other}",                                    [In, No, No, Ok, No, No]),
        ("/People/Accounts",                                           [In, No, No, No, No, Ok]),

        // The policy and the API's description are the company's published rules: everyone signed in.
        ("/Policy",                                                    [In, Ok, Ok, Ok, Ok, Ok]),
        ("/Policy/Version?id={policy}",                                [In, Ok, Ok, Ok, Ok, Ok]),
        ("/scalar/v1",                                                 [In, No, No, Ok, Ok, Ok]),
        ("/openapi/v1.json",                                           [In, No, No, Ok, Ok, Ok]),
    ];

    /// <summary>One case per cell of <see cref="Rows"/>: user ("anonymous" for none), page, outcome.</summary>
    public static TheoryData<string, string, Outcome> Table()
    {
        var data = new TheoryData<string, string, Outcome>();
        foreach (var (page, expected) in Rows)
        {
            for (var i = 0; i < Users.Length; i++)
            {
                data.Add(Users[i] ?? "anonymous", page, expected[i]);
            }
        }

        return data;
    }

    [Fact]
    public void Every_row_has_one_outcome_per_user() =>
        Assert.All(Rows, row => Assert.Equal(Users.Length, row.Expected.Length));

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Role_page_and_person_give_the_outcome_of_the_table(string user, string page, Outcome expected)
    {
        var url = await app.FillAsync(page, user);
        var client = await app.ClientAsync(user);
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        var actual = await OutcomeOfAsync(client, response);
        Assert.True(expected == actual, $"{user} GET {url}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
    }

    private static async Task<Outcome?> OutcomeOfAsync(HttpClient client, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return Outcome.Allowed;
        }

        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            && Browser.PathOf(location).StartsWith("/Account/Login", StringComparison.Ordinal))
        {
            return Outcome.SignIn;
        }

        return await Browser.IsRefusedAsync(client, response) ? Outcome.Refused : null;
    }

    /// <summary>The demo application with one client per user, signed in once for the whole table.</summary>
    public sealed class App : AppFactory
    {
        private readonly Dictionary<string, Task<HttpClient>> clients = [];
        private Demo? demo;
        private int policyId;

        public Task<HttpClient> ClientAsync(string user)
        {
            if (!clients.TryGetValue(user, out var client))
            {
                client = user == "anonymous" ? Task.FromResult(SignIn.Anonymous(this)) : SignIn.AsAsync(this, user);
                clients[user] = client;
            }

            return client;
        }

        public async Task<string> FillAsync(string page, string user)
        {
            ArgumentNullException.ThrowIfNull(page);
            if (demo is null)
            {
                demo = await Demo.LoadAsync(this);
                policyId = await WithServiceAsync<PolicyStore, int>(async p => (await p.InForceRowAsync(demo.Current, TestContext.Current.CancellationToken))!.Id);
            }

            var own = user == "sup1" ? "E002" : "E001";
            return page
                .Replace("{own}", demo.Id(own).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{other}", demo.Id("E007").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{open}", demo.Current.ToString(), StringComparison.Ordinal)
                .Replace("{confirmed}", demo.Previous.ToString(), StringComparison.Ordinal)
                .Replace("{policy}", policyId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        public override async ValueTask DisposeAsync()
        {
            // A sign-in that failed has failed its test already; it has no client to dispose.
            foreach (var client in clients.Values.Where(c => c.IsCompletedSuccessfully))
            {
                (await client).Dispose();
            }

            await base.DisposeAsync();
        }
    }
}
