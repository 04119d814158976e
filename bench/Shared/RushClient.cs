// The load client of the morning of the 3rd (issue 10 §1): people as a browser would be, against the real
// application on loopback. Linked into bench/Appraisal.Bench.Rush and tests/Appraisal.Web.Tests (short mode).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.App.Sheets;

namespace Appraisal.Bench;

/// <summary>How the rush runs: where the application is, the compressed window everyone arrives in, and patience.</summary>
public sealed record RushOptions(Uri Address, TimeSpan Window, int Seed = 20261203)
{
    /// <summary>The longest a request may take before it counts as an error (a timeout is never an answer).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a person keeps trying again when sign-in answers "busy" (null: the length of the window).</summary>
    public TimeSpan? SignInPatience { get; init; }

    /// <summary>The application's process, whose CPU time is reported (null: not measured).</summary>
    public int? ServerProcessId { get; init; }
}

/// <summary>What one kind of request came to: how many, how many failed, and their times.</summary>
public sealed class RushStep(string name)
{
    private readonly ConcurrentBag<double> times = [];
    private int errors;

    public string Name => name;

    public int Count => times.Count;

    public int Errors => errors;

    public void Add(double milliseconds, bool ok)
    {
        times.Add(milliseconds);
        if (!ok)
        {
            Interlocked.Increment(ref errors);
        }
    }

    /// <summary>The <paramref name="p"/>-quantile (nearest rank) of the times, in ms.</summary>
    public double Percentile(double p)
    {
        var sorted = times.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The outcome of a rush: steps, errors (as lines), the submits the application acknowledged, time and CPU.</summary>
public sealed class RushReport
{
    public ConcurrentDictionary<string, RushStep> Steps { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Submits answered with success: the sheet and the scores sent.</summary>
    public ConcurrentDictionary<(int Person, SheetKind Kind), IReadOnlyDictionary<string, int>> Acknowledged { get; } = new();

    /// <summary>Sign-ins answered "busy, retry" (429) and retried after Retry-After, as a person would.</summary>
    public int Busy => busy;

    public TimeSpan Elapsed { get; set; }

    public TimeSpan ClientCpu { get; set; }

    public TimeSpan? ServerCpu { get; set; }

    private int busy;

    private int computeRefused;

    /// <summary>
    /// Computes answered "the data changed meanwhile" (409) and run again: the compute reads the month without holding
    /// it and stores only if no save came in between, so while agents still submit HR may have to press it again.
    /// </summary>
    public int ComputeRefused => computeRefused;

    internal void ComputeChangedMeanwhile() => Interlocked.Increment(ref computeRefused);

    public int Requests => Steps.Values.Sum(s => s.Count);

    /// <summary>Failed requests, and flows that failed without a failed request (e.g. a page without its form).</summary>
    public int ErrorCount => Steps.Values.Sum(s => s.Errors) + otherErrors;

    private int otherErrors;

    private readonly ConcurrentDictionary<int, int> retryAfter = new();

    internal void Retried(TimeSpan? after)
    {
        Interlocked.Increment(ref busy);
        retryAfter.AddOrUpdate((int)(after?.TotalSeconds ?? 0), 1, (_, n) => n + 1);
    }

    internal void OtherError() => Interlocked.Increment(ref otherErrors);

    public RushStep Step(string name) => Steps.GetOrAdd(name, n => new RushStep(n));

    /// <summary>The report as text: one line per step, then the totals.</summary>
    public string Describe()
    {
        var ci = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(ci, $"{"step",-22} {"requests",9} {"errors",7} {"p50 ms",9} {"p99 ms",9} {"max ms",9}");
        foreach (var step in Steps.Values.OrderBy(s => Array.IndexOf(RushClient.StepOrder, s.Name)))
        {
            text.AppendLine(ci, $"{step.Name,-22} {step.Count,9} {step.Errors,7} {step.Percentile(0.5),9:0.0} {step.Percentile(0.99),9:0.0} {step.Percentile(1),9:0.0}");
        }

        var cpu = ServerCpu is { } server ? string.Create(ci, $"application {server.TotalSeconds:0.0} s ({server.TotalSeconds / Elapsed.TotalSeconds * 100:0} % of one core), ") : string.Empty;
        text.AppendLine(ci, $"{Requests} requests in {Elapsed.TotalSeconds:0.0} s ({Requests / Elapsed.TotalSeconds:0.0}/s), {ErrorCount} errors, {Busy} sign-ins answered busy and retried, {ComputeRefused} computes refused as changed meanwhile and run again, {Acknowledged.Count} submits acknowledged");
        text.AppendLine(ci, $"CPU: {cpu}load client {ClientCpu.TotalSeconds:0.0} s");
        // The same failure of many people once, with how many it happened to (user names left out).
        foreach (var group in Errors.GroupBy(e => Regex.Replace(e, "^flow of [^:]+: |of [a-z]+[0-9]+", string.Empty)).OrderByDescending(g => g.Count()).Take(10))
        {
            text.AppendLine(ci, $"{group.Count()} × {group.Key}");
        }

        foreach (var (seconds, count) in retryAfter.OrderBy(r => r.Key))
        {
            text.AppendLine(ci, $"busy answers with Retry-After {seconds} s: {count}");
        }

        return text.ToString();
    }
}

/// <summary>
/// The morning of the 3rd, compressed into <see cref="RushOptions.Window"/>: every agent arrives at a random moment,
/// signs in through the sign-in form (antiforgery token, own cookie jar), opens the home page and their
/// self-assessment, saves a draft of half of it, comes back and submits it whole; every supervisor arrives in the
/// middle of the morning, opens the team page and assesses each member; HR opens the facts page, saves facts a few
/// times through the API and runs one compute. Each simulated person comes from an address of its own in
/// X-Forwarded-For (the application trusts loopback as its reverse proxy), as behind the company's proxy, so that
/// the per-address sign-in limit meant for one attacker sees one person each.
/// </summary>
public static partial class RushClient
{
    /// <summary>The steps in the order a report lists them.</summary>
    public static readonly string[] StepOrder =
        ["sign-in page", "sign-in", "home", "sheet page", "save draft", "submit", "team page", "facts page", "antiforgery (API)", "facts read (API)", "facts save (API)", "compute (API)"];

    public static async Task<RushReport> RunAsync(RushOptions options, RushRoster roster)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(roster);
        var report = new RushReport();
        var random = new Random(options.Seed);
        var window = options.Window;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverBefore = ServerCpu(options.ServerProcessId);
        var clock = Stopwatch.StartNew();
        var flows = new List<Task>();
        var address = 0;

        // Agents arrive over the first 85 % of the window; supervisors between a fifth and three fifths; HR at once.
        foreach (var agent in roster.Agents)
        {
            var person = new Person(options, roster, report, new Random(random.Next()), ++address);
            flows.Add(Flow(report, agent.UserName, () => person.AgentAsync(agent, At(window, random.NextDouble() * 0.85), clock)));
        }

        var assessing = new List<Task>();
        foreach (var supervisor in roster.Supervisors)
        {
            var person = new Person(options, roster, report, new Random(random.Next()), ++address);
            assessing.Add(Flow(report, supervisor.UserName, () => person.SupervisorAsync(supervisor, At(window, 0.2 + (random.NextDouble() * 0.4)), clock)));
        }

        // HR computes once every supervisor's sheet is in (the results need them), while agents may still be at work.
        flows.AddRange(assessing);
        var hr = new Person(options, roster, report, new Random(random.Next()), ++address);
        flows.Add(Flow(report, roster.Hr, () => hr.HrAsync(clock, Task.WhenAll(assessing))));
        await Task.WhenAll(flows);
        report.Elapsed = clock.Elapsed;
        report.ClientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        report.ServerCpu = ServerCpu(options.ServerProcessId) - serverBefore;
        return report;
    }

    private static TimeSpan At(TimeSpan window, double fraction) => window * fraction;

    private static async Task Flow(RushReport report, string user, Func<Task> flow)
    {
        try
        {
            await Task.Run(flow);
        }
#pragma warning disable CA1031 // Any failure of a simulated person is reported, and the others go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (e is not RequestFailedException)
            {
                report.OtherError();
            }

            report.Errors.Enqueue($"flow of {user}: {e.Message}");
        }
    }

    private static TimeSpan? ServerCpu(int? pid) => pid is { } id && File.Exists($"/proc/{id}/stat") ? CpuOf($"/proc/{id}") : null;

    /// <summary>User + system CPU time of the process whose /proc directory is <paramref name="proc"/> (Linux).</summary>
    public static TimeSpan CpuOf(string proc)
    {
        var path = Path.Combine(proc, "stat");

        // Fields after the command name (which is in parentheses): utime is the 14th field, stime the 15th.
        var text = File.ReadAllText(path);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"Items\\[(\\d+)\\]\\.Key\" value=\"([^\"]+)\"")]
    private static partial Regex ItemKeyField();

    [GeneratedRegex("name=\"Items\\[(\\d+)\\]\\.Level\" value=\"(\\d+)\"[^>]*?data-min=\"(\\d+)\" data-max=\"(\\d+)\"")]
    private static partial Regex LevelField();

    [GeneratedRegex("name=\"Version\" value=\"(\\d*)\"")]
    private static partial Regex VersionField();

    /// <summary>A request that failed (already counted in its step).</summary>
    private sealed class RequestFailedException(string message, Exception? inner = null) : Exception(message, inner);

    /// <summary>One simulated person: a browser with its own cookie jar and address.</summary>
#pragma warning disable CA1001 // The client is disposed by the flow that opens it (using var http = Open()).
    private sealed class Person(RushOptions options, RushRoster roster, RushReport report, Random random, int number)
    {
#pragma warning restore CA1001
        private HttpClient? client;

        private HttpClient Client => client ?? throw new InvalidOperationException("not started");

        public async Task AgentAsync(RushUser agent, TimeSpan arrival, Stopwatch clock)
        {
            await WaitUntil(clock, arrival);
            using var http = Open();
            await SignInAsync(agent.UserName);
            await GetAsync("home", "/");
            var quality = 0.55 + (random.NextDouble() * 0.45);
            var url = $"/Sheets/Edit?month={roster.Month}&person={agent.PersonId}&kind=Self";
            await ThinkAsync();
            var form = await GetAsync("sheet page", url);
            await ThinkAsync();
            await SaveAsync("save draft", url, form, quality, submit: false, agent.PersonId, SheetKind.Self);
            form = await GetAsync("sheet page", url);
            await ThinkAsync();
            await SaveAsync("submit", url, form, quality, submit: true, agent.PersonId, SheetKind.Self);
            await GetAsync("sheet page", url);
        }

        public async Task SupervisorAsync(RushUser supervisor, TimeSpan arrival, Stopwatch clock)
        {
            await WaitUntil(clock, arrival);
            using var http = Open();
            await SignInAsync(supervisor.UserName);
            await GetAsync("home", "/");
            var team = $"/Months/Team?month={roster.Month}";
            await GetAsync("team page", team);
            for (var i = 0; i < supervisor.Team.Count; i++)
            {
                var member = supervisor.Team[i];
                var url = $"/Sheets/Edit?month={roster.Month}&person={member}&kind=Supervisor";
                await ThinkAsync();
                var form = await GetAsync("sheet page", url);
                await ThinkAsync();
                await SaveAsync("submit", url, form, 0.55 + (random.NextDouble() * 0.45), submit: true, member, SheetKind.Supervisor);
                await GetAsync("sheet page", url);
                if (i % 5 == 4)
                {
                    await GetAsync("team page", team);
                }
            }
        }

        public async Task HrAsync(Stopwatch clock, Task assessed)
        {
            using var http = Open();
            await SignInAsync(roster.Hr);
            using (var answer = JsonDocument.Parse(await GetAsync("antiforgery (API)", "/api/antiforgery")))
            {
                Client.DefaultRequestHeaders.Add(answer.RootElement.GetProperty("headerName").GetString()!, answer.RootElement.GetProperty("token").GetString());
            }

            await GetAsync("facts page", $"/Months/Facts?month={roster.Month}");

            // First the facts not entered yet, then four corrections of 40 rows each through the morning; the compute
            // once the supervisors are done.
            for (var round = 1; round <= 5; round++)
            {
                await WaitUntil(clock, options.Window * (round * 0.12));
                using var facts = JsonDocument.Parse(await GetAsync("facts read (API)", $"/api/months/{roster.Month}/facts"));
                var all = facts.RootElement.GetProperty("rows").EnumerateArray().ToList();
                var entered = all.Where(row => row.GetProperty("salesPlan").ValueKind == JsonValueKind.Number).ToList();
                var rows = round == 1
                    ? all.Except(entered).Select(row => Facts(row, 50_000m + (random.Next(0, 31) * 5_000m), null)).ToList()
                    : entered.Skip(round * 40).Take(40).Select(row => Facts(row, row.GetProperty("salesPlan").GetDecimal(), row.GetProperty("version").GetInt32())).ToList();
                await SendAsync("facts save (API)", () => Client.PutAsJsonAsync(new Uri($"/api/months/{roster.Month}/facts", UriKind.Relative), new { rows }), HttpStatusCode.OK);
                await GetAsync("facts page", $"/Months/Facts?month={roster.Month}&p={round}");
            }

            await assessed;
            // A save that commits while the compute reads the month makes it refuse (409, nothing stored): HR does what
            // the answer says and computes again, for at most the length of the window.
            var patience = Stopwatch.StartNew();
            while ((await SendAsync("compute (API)", () => Client.PostAsync(new Uri($"/api/months/{roster.Month}/compute", UriKind.Relative), null),
                HttpStatusCode.OK, HttpStatusCode.Conflict)).Code == HttpStatusCode.Conflict)
            {
                report.ComputeChangedMeanwhile();
                if (patience.Elapsed > options.Window)
                {
                    throw new RequestFailedException($"compute (API): still refused as changed meanwhile after {report.ComputeRefused} tries in {patience.Elapsed.TotalSeconds:0} s");
                }

                await Task.Delay(TimeSpan.FromSeconds(1 + random.NextDouble()));
            }
        }

        /// <summary>A facts row as HR types it: the plan, an actual about ±25 % around it to the fen, rarely an absence.</summary>
        private object Facts(JsonElement row, decimal plan, int? version) => new
        {
            personId = row.GetProperty("personId").GetInt32(),
            salesPlan = plan,
            salesActual = Math.Round(plan * (decimal)(0.75 + (random.NextDouble() * 0.5)), 2),
            absentDays = random.NextDouble() < 0.9 ? 0 : random.Next(1, 4),
            version,
        };

        private HttpClient Open()
        {
#pragma warning disable CA2000 // The client owns the handler.
            var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
#pragma warning restore CA2000
            client = new HttpClient(handler, disposeHandler: true) { BaseAddress = options.Address, Timeout = options.RequestTimeout };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}");
            client.DefaultRequestHeaders.Add("Origin", options.Address.GetLeftPart(UriPartial.Authority));
            return client;
        }

        private async Task SignInAsync(string user)
        {
            // Busy (429): wait as told and try again, as a person would, for at most the length of the window.
            var patience = Stopwatch.StartNew();
            for (var attempt = 1; ; attempt++)
            {
                var login = await GetAsync("sign-in page", "/Account/Login");
                var status = await SendAsync("sign-in", () => Client.PostAsync(new Uri("/Account/Login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["UserName"] = user,
                    ["Password"] = roster.Password,
                    ["__RequestVerificationToken"] = Token(login),
                })), HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests);
                if (status.Code != HttpStatusCode.TooManyRequests)
                {
                    return;
                }

                report.Retried(status.RetryAfter);
                if (patience.Elapsed > (options.SignInPatience ?? options.Window))
                {
                    throw new InvalidOperationException($"sign-in of {user}: still busy after {attempt} attempts in {patience.Elapsed.TotalSeconds:0} s");
                }

                // As told, and a moment more: people do not all press again in the same millisecond.
                await Task.Delay((status.RetryAfter ?? TimeSpan.FromSeconds(1)) + TimeSpan.FromMilliseconds(random.Next(0, 1000)));
            }
        }

        /// <summary>Fills the sheet's form as a person would (a level and a score in it for every item, half of them for a draft) and posts it.</summary>
        private async Task SaveAsync(string step, string url, string page, double quality, bool submit, int person, SheetKind kind)
        {
            var keys = ItemKeyField().Matches(page).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => m.Groups[2].Value);
            var levels = LevelField().Matches(page).Select(m => (
                Item: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                Level: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                Min: int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                Max: int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture))).ToLookup(l => l.Item);
            if (keys.Count == 0 || keys.Keys.Any(k => !levels.Contains(k)))
            {
                throw new InvalidOperationException($"{url}: no form with items and levels");
            }

            var fields = new List<KeyValuePair<string, string>>
            {
                new("__RequestVerificationToken", Token(page)),
                new("Version", VersionField().Match(page).Groups[1].Value),
                new("Comment", submit ? $"本月评价（第{random.Next(1, 9)}稿）" : string.Empty),
                new("Mode", submit ? "submit" : "save"),
            };
            var scores = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (n, key) in keys.OrderBy(k => k.Key))
            {
                fields.Add(new($"Items[{n}].Key", key));
                if (!submit && n % 2 == 1)
                {
                    continue;
                }

                var top = levels[n].Max(l => l.Max);
                var score = (int)Math.Clamp(Math.Round(top * Math.Clamp(quality + ((random.NextDouble() - 0.5) * 0.3), 0, 1)), 0, top);
                var level = levels[n].Last(l => l.Min <= score && score <= l.Max);
                fields.Add(new($"Items[{n}].Level", level.Level.ToString(CultureInfo.InvariantCulture)));
                fields.Add(new($"Items[{n}].Score", score.ToString(CultureInfo.InvariantCulture)));
                scores[key] = score;
            }

            var answer = await SendAsync(step, () => Client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(fields)), HttpStatusCode.Redirect);
            if (submit && answer.Code == HttpStatusCode.Redirect)
            {
                report.Acknowledged[(person, kind)] = scores;
            }
        }

        private async Task<string> GetAsync(string step, string url) =>
            (await SendAsync(step, () => Client.GetAsync(new Uri(url, UriKind.Relative)), HttpStatusCode.OK)).Body;

        /// <summary>Sends, times to the last byte of the body, and counts any answer but <paramref name="expected"/> (or a timeout) as an error.</summary>
        private async Task<(HttpStatusCode Code, string Body, TimeSpan? RetryAfter)> SendAsync(string step, Func<Task<HttpResponseMessage>> send, params HttpStatusCode[] expected)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await send();
                var body = await response.Content.ReadAsStringAsync();
                var ok = expected.Contains(response.StatusCode);
                report.Step(step).Add(watch.Elapsed.TotalMilliseconds, ok);
                if (!ok)
                {
                    throw new RequestFailedException($"{step}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                }

                return (response.StatusCode, body, response.Headers.RetryAfter?.Delta);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                report.Step(step).Add(watch.Elapsed.TotalMilliseconds, ok: false);
                throw new RequestFailedException($"{step}: {e.GetType().Name} after {watch.Elapsed.TotalSeconds:0.0} s", e);
            }
        }

        /// <summary>A moment of reading and typing: 0.2–0.8 % of the window (1–5 s of the full 10 minutes).</summary>
        private Task ThinkAsync() => Task.Delay(options.Window * (0.002 + (random.NextDouble() * 0.006)));

        private static async Task WaitUntil(Stopwatch clock, TimeSpan at)
        {
            var wait = at - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        private static string Token(string page)
        {
            var match = TokenField().Match(page);
            return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token in the page");
        }
    }
}
