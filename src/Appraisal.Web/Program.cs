using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.Web.Data;

// backup FILE / restore FILE: operations over the same configuration, without starting the web host.
if (BackupCommand.IsVerb(args))
{
    return await BackupCommand.RunAsync(args);
}

var app = AppHost.Build(args);
try
{
    await AppHost.PrepareAsync(app);
}
catch (DemoAccountsLeftException e)
{
    // A production start over a database with the demo's accounts and published password: say which and the fix.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
catch (InvalidOperationException e) when (e.Message.Contains("Admin:Password", StringComparison.Ordinal))
{
    // A production start without demo data needs the administrator's password: say so, no stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync("Set Admin:Password (e.g. --Admin:Password=…), or run with demo data: --Demo:Enabled=true (README).");
    return 1;
}

await app.RunAsync();
return 0;

/// <summary>The web host's entry point, visible to the integration tests.</summary>
public partial class Program;
