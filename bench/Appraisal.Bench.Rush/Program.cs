// The morning of the 3rd (issue 10 §1): seeds a company of --agents agents under --supervisors supervisors into a
// fresh database (a SQLite file in temp, or a new PostgreSQL database with --postgres "Host=…;Username=…;Password=…"),
// starts the built application (src/Appraisal.Web/bin/Release) as its own process in the Production environment on
// a loopback port, and runs the rush of bench/Shared/RushClient.cs within --window seconds. Then checks that every
// acknowledged submit is in the database as submitted, prints requests, errors, p50/p99 per step and CPU, and exits
// with 1 when there were errors or lost saves.
//
//   dotnet build src/Appraisal.Web -c Release && dotnet run -c Release --project bench/Appraisal.Bench.Rush -- [--agents 3000]
//       [--supervisors 150] [--window 600] [--postgres "Host=127.0.0.1;Username=appraisal;Password=appraisal"]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Appraisal.Bench;
using Appraisal.Web;
using Npgsql;

var agents = BenchCompany.Option(args, "--agents", 3000);
var supervisors = BenchCompany.Option(args, "--supervisors", 150);
var window = TimeSpan.FromSeconds(BenchCompany.Option(args, "--window", 600));
var postgresIndex = Array.IndexOf(args, "--postgres");
var postgres = postgresIndex >= 0 && postgresIndex + 1 < args.Length ? args[postgresIndex + 1] : null;
const string Password = "Rush-of-the-3rd-2026";

var name = $"appraisal_rush_{Environment.ProcessId}";
var sqliteFile = Path.Combine(Path.GetTempPath(), name + ".db");
var settings = new Dictionary<string, string>
{
    ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
    [postgres is null ? "ConnectionStrings:Sqlite" : "ConnectionStrings:Postgres"] = postgres is null ? $"Data Source={sqliteFile}" : $"{postgres};Database={name}",
    ["Demo:Enabled"] = "false",
    ["Admin:Password"] = Password,
    // Every simulated person has an address of its own in X-Forwarded-For, trusted from loopback (the reverse proxy).
    ["ForwardedHeaders:Enabled"] = "true",
    ["Logging:LogLevel:Default"] = "Warning",
};
var ci = CultureInfo.InvariantCulture;
Process? server = null;
try
{
    var seed = Stopwatch.StartNew();
    var roster = await InProcessAsync(services => RushCompany.SeedAsync(services, agents, supervisors, Password));
    Console.WriteLine(string.Create(ci, $"seeded {roster.Agents.Count} agents, {roster.Supervisors.Count} supervisors and HR for {roster.Month} ({settings["Database:Provider"]}) in {seed.Elapsed.TotalSeconds:0.0} s"));

    var address = new Uri($"http://127.0.0.1:{FreePort()}");
    server = Start(address);
    await WaitReadyAsync(address, server);
    Console.WriteLine($"application process {server.Id} on {address}; the rush of {window.TotalSeconds:0} s begins; load average before: {BenchCompany.LoadAverage()}");

    var transactionsBefore = await PostgresTransactionsAsync();
    var report = await RushClient.RunAsync(new RushOptions(address, window) { ServerProcessId = server.Id }, roster);
    var loadAfter = BenchCompany.LoadAverage();
    var databaseCpu = postgres is null ? null : PostgresBackendCpu(name);
    await Task.Delay(TimeSpan.FromSeconds(2)); // PostgreSQL's statistics are flushed about every second
    var transactions = await PostgresTransactionsAsync() - transactionsBefore;
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();

    var lost = await InProcessAsync(services => RushCompany.LostAsync(services, roster.Month, report.Acknowledged));
    var expected = roster.Agents.Count + roster.Agents.Count; // every agent's self-assessment and their supervisor's sheet
    Console.Write(report.Describe());
    if (databaseCpu is { } db)
    {
        Console.WriteLine(string.Create(ci, $"PostgreSQL server processes of this database (still connected at the end): {db.TotalSeconds:0.0} s CPU"));
    }

    if (postgres is not null)
    {
        Console.WriteLine(string.Create(ci, $"PostgreSQL transactions (statements outside a transaction count one each): {transactions}, {(double)transactions / report.Requests:0.00} per request"));
    }

    Console.WriteLine($"acknowledged submits {report.Acknowledged.Count} of {expected}; lost {lost.Count}");
    foreach (var line in lost.Take(20))
    {
        Console.WriteLine("LOST " + line);
    }

    Console.WriteLine($"machine: {BenchCompany.Machine().Replace("SQLite file database (WAL)", settings["Database:Provider"], StringComparison.Ordinal)}");
    Console.WriteLine($"load average (1, 5, 15 min) at the end: {loadAfter}");
    return report.ErrorCount == 0 && lost.Count == 0 && report.Acknowledged.Count == expected ? 0 : 1;
}
finally
{
    if (server is { HasExited: false })
    {
        server.Kill(entireProcessTree: true);
    }

    server?.Dispose();
    await DropAsync();
}

// Builds the application's services (not started) on the rush's database for seeding and checking, migrated first.
async Task<T> InProcessAsync<T>(Func<IServiceProvider, Task<T>> work)
{
    var app = AppHost.Build(["--applicationName=Appraisal.Web", "--environment=Production", .. settings.Select(s => $"--{s.Key}={s.Value}")]);
    try
    {
        await AppHost.PrepareAsync(app);
        return await work(app.Services);
    }
    finally
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}

Process Start(Uri address)
{
    var root = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(root, "Appraisal.slnx")))
    {
        root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("not inside the repository");
    }

    var dll = Path.Combine(root, "src", "Appraisal.Web", "bin", "Release", "net10.0", "Appraisal.Web.dll");
    if (!File.Exists(dll))
    {
        throw new InvalidOperationException($"{dll} is missing: dotnet build src/Appraisal.Web -c Release");
    }

    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(dll);
    start.ArgumentList.Add("--urls");
    start.ArgumentList.Add(address.ToString().TrimEnd('/'));
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["DOTNET_ENVIRONMENT"] = "Production";
    foreach (var (key, value) in settings)
    {
        start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
    }

    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, e) => Echo(e.Data);
    process.ErrorDataReceived += (_, e) => Echo(e.Data);
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static void Echo(string? line)
{
    if (line is not null)
    {
        Console.Error.WriteLine("app: " + line);
    }
}

static async Task WaitReadyAsync(Uri address, Process process)
{
    using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (DateTime.UtcNow < deadline && !process.HasExited)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(200);
    }

    throw new InvalidOperationException("the application did not start");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

// CPU of the PostgreSQL backends serving this database: their process titles name it (postgres: user db …).
static TimeSpan? PostgresBackendCpu(string database)
{
    if (!Directory.Exists("/proc"))
    {
        return null;
    }

    var cpu = TimeSpan.Zero;
    foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
    {
        try
        {
            var title = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            if (title.StartsWith("postgres:", StringComparison.Ordinal) && title.Contains($" {database} ", StringComparison.Ordinal))
            {
                cpu += RushClient.CpuOf(dir);
            }
        }
        catch (IOException)
        {
            // The process ended meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process.
        }
    }

    return cpu;
}

// Committed and rolled-back transactions of the rush's database so far (pg_stat_database); 0 on SQLite.
async Task<long> PostgresTransactionsAsync()
{
    if (postgres is null)
    {
        return 0;
    }

    await using var connection = new NpgsqlConnection($"{postgres};Database=postgres;Pooling=false");
    await connection.OpenAsync();
    await using var count = new NpgsqlCommand("SELECT COALESCE(SUM(xact_commit + xact_rollback), 0) FROM pg_stat_database WHERE datname = @name", connection);
    count.Parameters.AddWithValue("name", name);
    return Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

async Task DropAsync()
{
    if (postgres is null)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", ".start-lock" })
        {
            File.Delete(sqliteFile + suffix);
        }

        return;
    }

    await using var connection = new NpgsqlConnection($"{postgres};Database=postgres;Pooling=false");
    await connection.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
    await drop.ExecuteNonQueryAsync();
}
