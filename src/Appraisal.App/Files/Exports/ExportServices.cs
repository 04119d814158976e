using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.App.Files.Exports;

public static class ExportServices
{
    /// <summary>The export commands (over the Read… queries they use, registered by the host).</summary>
    public static IServiceCollection AddExports(this IServiceCollection services) => services
        .AddScoped<ExportTitles>()
        .AddScoped<ExportMonthOverview>()
        .AddScoped<ExportPayRun>()
        .AddScoped<ExportHistory>()
        .AddScoped<ExportAuditLog>();
}
