using System.Net;
using System.Net.Sockets;
using System.Text;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using netDumbster.smtp;

namespace Appraisal.Web.Tests.Reminders;

/// <summary>
/// The web application with e-mail on, sending to an in-process SMTP server, with a pinned clock and a database
/// named by <paramref name="databaseKey"/>, so that a second instance (a restart, or a second instance running
/// beside it) opens the same data; <paramref name="settings"/> replace the reminders' defaults below.
/// </summary>
public sealed class MailApp(FixedTimeProvider clock, int smtpPort, string databaseKey, IReadOnlyDictionary<string, string>? settings = null) : AppFactory
{
    public const string BaseUrl = "https://appraisal.test";

    protected override TimeProvider? Clock => clock;

    private static string SqlitePath(string key) => Path.Combine(Path.GetTempPath(), $"appraisal-reminders-{key}.db");

    private static string PostgresName(string key) => $"appraisal_test_rem_{key}";

    private static string PostgresServer => Environment.GetEnvironmentVariable("APPRAISAL_TEST_POSTGRES") ?? string.Empty;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (OnPostgres)
        {
            builder.UseSetting("ConnectionStrings:Postgres", $"{PostgresServer};Database={PostgresName(databaseKey)}");
        }
        else
        {
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={SqlitePath(databaseKey)}");
        }

        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:From", "绩效考核 <appraisal@company.test>");
        builder.UseSetting("App:BaseUrl", BaseUrl);
        builder.UseSetting("Reminders:PollSeconds", "0.1");
        builder.UseSetting("Reminders:ScanMinutes", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts an instance (schema, demo company) over the database of <paramref name="databaseKey"/>.</summary>
    public static async Task<MailApp> StartAsync(FixedTimeProvider clock, int smtpPort, string databaseKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new MailApp(clock, smtpPort, databaseKey, settings);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Removes the shared database once the last instance is gone.</summary>
    public static async Task DropAsync(string databaseKey)
    {
        if (OnPostgres)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(PostgresServer + ";Database=postgres");
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{PostgresName(databaseKey)}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(SqlitePath(databaseKey) + suffix);
        }
    }

    /// <summary>Gives the accounts e-mail addresses (<c>agent01@company.test</c> …) through the administrator's command.</summary>
    public async Task SetEmailsAsync(params string[] userNames)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var accounts = scope.ServiceProvider.GetRequiredService<ManageAccounts>();
        var admin = new Actor("admin", null, new HashSet<string> { Roles.Admin });
        foreach (var name in userNames)
        {
            var id = db.Users.Single(u => u.UserName == name).Id;
            await accounts.SetEmailAsync(admin, id, $"{name}@company.test", TestContext.Current.CancellationToken);
        }
    }

    /// <summary>An actor of a demo account, for calling commands directly.</summary>
    public async Task<Actor> ActorAsync(string userName, string role, string employeeNo) =>
        new(userName, await this.PersonIdAsync(employeeNo), new HashSet<string> { role });

    /// <summary>A free port on the loopback address for an SMTP server.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The messages the server received, read as MIME.</summary>
    public static List<MimeMessage> Mails(SimpleSmtpServer server) =>
        [.. server.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data))))];

    /// <summary>Waits (at most a minute) for the background sender to get somewhere.</summary>
    public static async Task UntilAsync(Func<bool> done, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (done())
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("Timed out waiting for " + what);
    }
}
