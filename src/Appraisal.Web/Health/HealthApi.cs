using Appraisal.App.Data;
using Appraisal.App.Files.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Appraisal.Web.Health;

/// <summary>
/// Health for operators and load balancers (issue 10 §4), anonymous and without personal data:
/// <c>GET /health/live</c> answers 200 as long as the process serves requests (it touches no database), and
/// <c>GET /health/ready</c> runs the readiness checks — the database reachable (EF Core's DbContext check),
/// every migration applied, the Chinese font the PDFs embed found (<see cref="PdfFont"/>) — and answers 200 when
/// all are healthy, 503 otherwise. Both answer JSON: the overall status and, per check, its name, status and a
/// short description in English and Chinese (never a connection string, an exception's text or a path).
/// Like every answer they carry <c>Cache-Control: no-store</c> (SecurityHeaders).
/// </summary>
public static class HealthApi
{
    public const string LivePath = "/health/live";

    public const string ReadyPath = "/health/ready";

    private const string Ready = "ready";

    /// <summary>The answer of both endpoints.</summary>
    public sealed record HealthAnswer(string Status, IReadOnlyList<HealthCheckAnswer> Checks);

    /// <summary>One check: <c>database</c>, <c>migrations</c> or <c>pdf-font</c>.</summary>
    public sealed record HealthCheckAnswer(string Name, string Status, string Description, string Zh);

    public static IServiceCollection AddAppHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: [Ready])
            .AddCheck<MigrationsCheck>("migrations", tags: [Ready])
            .AddCheck<PdfFontCheck>("pdf-font", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var health = app.MapGroup("/health").AllowAnonymous().WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new HealthAnswer(nameof(HealthStatus.Healthy), [])))
            .WithName("HealthLive")
            .WithSummary("200 while the process serves requests (no database is touched)");
        health.MapGet("/ready", async (HealthCheckService checks, CancellationToken ct) =>
            {
                var report = await checks.CheckHealthAsync(r => r.Tags.Contains(Ready), ct);
                var answer = new HealthAnswer(report.Status.ToString(), [.. report.Entries.Select(e => Describe(e.Key, e.Value))]);
                return TypedResults.Json(answer, statusCode: report.Status == HealthStatus.Unhealthy
                    ? StatusCodes.Status503ServiceUnavailable
                    : StatusCodes.Status200OK);
            })
            .WithName("HealthReady")
            .WithSummary("200 when the database is reachable, every migration applied and the PDF font found; 503 naming the failing check")
            .Produces<HealthAnswer>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>Our checks describe themselves; EF Core's says nothing, and an exception's message is not for anonymous readers.</summary>
    private static HealthCheckAnswer Describe(string name, HealthReportEntry entry)
    {
        var healthy = entry.Status == HealthStatus.Healthy;
        var (en, zh) = entry switch
        {
            { Exception: { } e } => ($"the check failed ({e.GetType().Name})", $"检查失败（{e.GetType().Name}）"),
            { Data: { } data } when data.TryGetValue("zh", out var z) && z is string chinese => (entry.Description ?? name, chinese),
            _ when name == "database" => healthy ? ("the database is reachable", "数据库可连接") : ("the database cannot be reached", "无法连接数据库"),
            _ => (entry.Description ?? entry.Status.ToString(), entry.Description ?? entry.Status.ToString()),
        };
        return new HealthCheckAnswer(name, entry.Status.ToString(), en, zh);
    }

    private static HealthCheckResult Result(bool healthy, string en, string zh) => new(
        healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy,
        en,
        data: new Dictionary<string, object> { ["zh"] = zh });

    /// <summary>Ready only when the database has every migration of this build (an upgrade's migration still to run: 503).</summary>
    internal sealed class MigrationsCheck(AppDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? Result(true, "every migration is applied", "所有数据库迁移均已执行")
                : Result(false, $"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}",
                    $"有 {pending.Count} 个数据库迁移尚未执行：{string.Join(", ", pending)}");
        }
    }

    /// <summary>Ready only when the PDFs can be made: the Chinese TrueType font was found at start.</summary>
    internal sealed class PdfFontCheck(PdfFont font) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(font.Available
                ? Result(true, "the Chinese font for PDFs is found", "已找到 PDF 所需的中文字体")
                : Result(false, $"no Chinese TrueType font for PDFs: install fonts-arphic-gbsn00lp or name a .ttf file in {PdfFont.FileKey} (the start log says why)",
                    $"没有 PDF 所需的中文 TrueType 字体：请安装 fonts-arphic-gbsn00lp 或在配置 {PdfFont.FileKey} 中指定 .ttf 文件（原因见启动日志）"));
    }
}
