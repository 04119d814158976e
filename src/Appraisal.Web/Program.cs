using Appraisal.Web;
using Appraisal.Web.Data;

// backup FILE / restore FILE: operations over the same configuration, without starting the web host.
if (BackupCommand.IsVerb(args))
{
    return await BackupCommand.RunAsync(args);
}

var app = AppHost.Build(args);
await AppHost.PrepareAsync(app);
await app.RunAsync();
return 0;

/// <summary>The web host's entry point, visible to the integration tests.</summary>
public partial class Program;
