using Appraisal.Web;

var app = AppHost.Build(args);
await AppHost.PrepareAsync(app);
await app.RunAsync();

/// <summary>The web host's entry point, visible to the integration tests.</summary>
public partial class Program;
