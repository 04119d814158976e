using Appraisal.App.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Appraisal.Web.Telemetry;

/// <summary>
/// What the web host tells its operators (issue 10 item 4). <b>Telemetry</b>: when an OTLP endpoint is configured
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, from the environment, the command line or appsettings), traces, metrics and
/// logs go to it by OTLP — ASP.NET Core's requests and their durations, outgoing HTTP, the .NET runtime, Npgsql's
/// commands and pool, and the product's own <see cref="AppMetrics"/> (compute time, sheets submitted, e-mails sent);
/// without one, no OpenTelemetry is registered at all. <b>Logs</b>: one JSON object a line on the console outside
/// Development, with UTC timestamps and scopes; the simple console in Development. Every log line of a signed-in
/// request carries the account's user name as a scope (<see cref="UseUserLogScope"/>); no log line carries a score
/// or pay (the log test checks a compute and a submit).
/// </summary>
public static class AppTelemetry
{
    /// <summary>The standard OpenTelemetry setting that turns telemetry on: the collector's address.</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name the telemetry carries unless <c>OTEL_SERVICE_NAME</c> names another.</summary>
    public const string DefaultServiceName = "appraisal";

    private static readonly Func<ILogger, string, IDisposable?> UserScope = LoggerMessage.DefineScope<string>("User {User}");

    /// <summary>True when an OTLP endpoint is configured.</summary>
    public static bool Enabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration?[EndpointKey]);

    /// <summary>
    /// Registers OpenTelemetry with the OTLP exporter when <see cref="EndpointKey"/> is set (the exporter itself reads
    /// the other standard settings: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
    /// <c>OTEL_METRIC_EXPORT_INTERVAL</c>…); nothing otherwise.
    /// </summary>
    public static IServiceCollection AddAppTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!Enabled(configuration))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName))
            .WithTracing(t => t
                .AddSource(AppMetrics.Name)
                // Load balancers ask for health every few seconds: counted in the metrics, not traced.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(AppMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation())
            .UseOtlpExporter();
        services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeScopes = true);
        return services;
    }

    /// <summary>JSON lines (UTC, scopes) on the console outside Development; the simple console in Development.</summary>
    public static ILoggingBuilder AddAppLogging(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsDevelopment())
        {
            return logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss'Z' ";
            });
        }

        return logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
    }

    /// <summary>After authentication: the rest of a signed-in request logs within a scope naming its account (<c>User</c>).</summary>
    public static IApplicationBuilder UseUserLogScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Appraisal.Web.Request");
        return app.Use(async (context, next) =>
        {
            if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
            {
                using (UserScope(log, name))
                {
                    await next(context);
                }

                return;
            }

            await next(context);
        });
    }
}
