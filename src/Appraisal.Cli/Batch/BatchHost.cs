using Appraisal.App.Data;
using Appraisal.App.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Appraisal.Cli.Batch;

/// <summary>Where a batch verb finds its database and acts as whom: the same settings as the web application.</summary>
/// <param name="UserName">The account the job runs as (<c>--as</c>): its roles decide what it may do, and the audit log names it.</param>
/// <param name="ConfigFile">An extra JSON settings file (<c>--config</c>), read after appsettings.json.</param>
/// <param name="Settings">Single settings (<c>--setting Key=Value</c>, e.g. <c>ConnectionStrings:Sqlite=Data Source=/srv/appraisal.db</c>), read last.</param>
internal sealed record BatchOptions(string UserName, string? ConfigFile, IReadOnlyList<string> Settings);

/// <summary>
/// The host of the command line's batch verbs (<c>import</c>, <c>export</c>, <c>print</c>): the web application's
/// configuration (appsettings.json beside the program, then environment variables such as <c>Database__Provider</c>,
/// then <c>--config</c> and <c>--setting</c>), its database and the very commands its pages call
/// (<see cref="AppServices.AddAppCommands"/>), run as one named account. Exit codes are those of <c>evaluate</c>:
/// 0 done, 2 bad input, usage or settings (nothing changed), 1 an internal error.
/// </summary>
internal static class BatchHost
{
    public static async Task<int> RunAsync(BatchOptions options, TextWriter stderr, Func<IServiceProvider, Actor, CancellationToken, Task<int>> job, CancellationToken ct)
    {
        IConfiguration configuration;
        try
        {
            configuration = Configuration(options);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"设置有误 bad settings: {ex.Message}");
            return CliApp.BadInput;
        }

        ServiceCollection services;
        try
        {
            services = Compose(configuration);
        }
        catch (InvalidOperationException ex)
        {
            stderr.WriteLine($"设置有误 bad settings: {ex.Message}");
            return CliApp.BadInput;
        }

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await NotReadyAsync(db, ct) is { } notReady)
        {
            stderr.WriteLine(notReady);
            return CliApp.BadInput;
        }

        var actor = await ActorAsync(scope.ServiceProvider, options.UserName, ct);
        if (actor is null)
        {
            stderr.WriteLine($"账户“{options.UserName}”不存在或已停用 (account \"{options.UserName}\" does not exist or is locked): --as 须为有效账户 (--as must name an active account)");
            return CliApp.BadInput;
        }

        // D23: times in refusals and texts in the company's zone, as on the pages.
        Appraisal.App.Localization.L.Zone = scope.ServiceProvider.GetRequiredService<Appraisal.App.Months.CompanyClock>().Zone;
        try
        {
            return await job(scope.ServiceProvider, actor, ct);
        }
        catch (UserError error)
        {
            // The refusal the page would show, with every problem it lists; the command changed nothing.
            stderr.WriteLine($"{error.Zh} ({error.En})");
            foreach (var problem in error.Errors ?? [])
            {
                stderr.WriteLine($"{problem.Where}: {problem.Zh} ({problem.En})");
            }

            return CliApp.BadInput;
        }
    }

    /// <summary>The services of a batch job: the web application's database and commands, Identity's stores without its cookies.</summary>
    internal static ServiceCollection Compose(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);

        // Warnings and errors only, on standard error: standard output is the job's own.
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddSingleton(TimeProvider.System);
        services.AddAppDatabase(configuration);
        services.AddAppCommands();
        services.AddIdentityCore<AppUser>(AppServices.AccountRules).AddRoles<IdentityRole>().AddEntityFrameworkStores<AppDbContext>();
        return services;
    }

    private static IConfiguration Configuration(BatchOptions options)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        if (options.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new IOException($"--config {file}: 文件不存在 (file not found)");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in options.Settings)
        {
            var at = setting.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new FormatException($"--setting “{setting}”：应为 键=值 (expected Key=Value, e.g. Database:Provider=Postgres)");
            }

            pairs[setting[..at].Trim()] = setting[(at + 1)..];
        }

        return builder.AddInMemoryCollection(pairs).Build();
    }

    /// <summary>A database the web application has not created or upgraded yet is refused: only the web host migrates it.</summary>
    private static async Task<string?> NotReadyAsync(AppDbContext db, CancellationToken ct)
    {
        var where = db.Database.GetConnectionString();
        try
        {
            if (!await db.Database.CanConnectAsync(ct))
            {
                return $"无法连接数据库 cannot connect to the database ({Describe(where)}): 检查 Database:Provider 和 ConnectionStrings (check Database:Provider and ConnectionStrings)";
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                return $"数据库尚未建立或版本较旧 ({Describe(where)}, {pending.Count} 个迁移未执行)：请先启动一次网页应用，它会建立并升级数据库 "
                    + $"(the database is missing or older than this program ({pending.Count} migrations pending): start the web application once, it creates and upgrades the database)";
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return $"无法连接数据库 cannot connect to the database ({Describe(where)}): {ex.Message}";
        }

        return null;
    }

    /// <summary>The connection without its password, for messages.</summary>
    private static string Describe(string? connection)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return "?";
        }

        var parts = connection.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith("Password", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("Pwd", StringComparison.OrdinalIgnoreCase));
        return string.Join(';', parts);
    }

    private static async Task<Actor?> ActorAsync(IServiceProvider services, string userName, CancellationToken ct)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        ct.ThrowIfCancellationRequested();
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        var roles = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        return new Actor(user.UserName ?? userName, user.PersonId, roles);
    }
}
