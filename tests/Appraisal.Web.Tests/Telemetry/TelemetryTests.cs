using System.Diagnostics;
using System.Net;
using Appraisal.App.Reminders;
using Appraisal.App.Telemetry;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Appraisal.Web.Tests.Telemetry;

/// <summary>The tests that listen to the process's telemetry run alone: the product's meter and activity source are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryGroup
{
    public const string Name = "telemetry";
}

/// <summary>
/// Issue 10 item 4: with an OTLP endpoint configured, a request gives an ASP.NET Core span and the request-duration
/// metric, both also sent to the collector by OTLP; a submitted sheet counts once, after it is stored, and a refused
/// one not at all; a compute records its duration and its span (a refused compute records nothing).
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class TelemetryTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARequestGivesAnAspNetCoreSpanAndMetricExportedByOtlp()
    {
        using var client = SignIn.Anonymous(app);
        using (var login = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var span = await app.SpanAsync(s => s.Source.Name == "Microsoft.AspNetCore" && Equals(s.GetTagItem("url.path"), "/Account/Login"));
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        // The duration is recorded as the server ends the request, just after the client has the answer.
        Assert.True(await app.TotalReachesAsync(1, "http.server.request.duration", "http.route", "Account/Login"),
            "metrics: " + string.Join(", ", app.Metrics.Snapshot().Select(m => m.Name).Distinct()));
        Assert.Contains(app.Metrics.Snapshot(), m => m.Name.StartsWith("dotnet.", StringComparison.Ordinal)); // the runtime's
        if (AppFactory.OnPostgres)
        {
            // Npgsql's commands as spans, and its pool as metrics.
            Assert.Contains(app.Spans.Snapshot(), s => s.Source.Name == "Npgsql");
            Assert.Contains(app.Metrics.Snapshot(), m => m.Name.StartsWith("db.client.", StringComparison.Ordinal));
        }

        // Health probes are measured but not traced.
        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        app.Flush();
        Assert.DoesNotContain(app.Spans.Snapshot(), s => Equals(s.GetTagItem("url.path"), "/health/live"));

        // The OTLP exporter sent both signals to the configured endpoint.
        Assert.Contains(app.Collector.Received, r => r.Path == "/v1/traces" && r.Bytes > 0);
        Assert.Contains(app.Collector.Received, r => r.Path == "/v1/metrics" && r.Bytes > 0);
    }

    [Fact]
    public async Task SheetsSubmittedAndComputeTimeAreRecordedWhenTheCommandSucceeds()
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");
        const string Submitted = "appraisal.sheets.submitted";
        const string Duration = "appraisal.compute.duration";
        var self = app.Total(Submitted, "appraisal.sheet.kind", "Self");
        var supervisor = app.Total(Submitted, "appraisal.sheet.kind", "Supervisor");
        var computes = app.Total(Duration);

        // Refused: agent01's sheets and facts are missing, nothing is stored, no duration recorded.
        Assert.Contains("无法计算", await OpenMonthSteps.ComputeAsync(app, month));
        Assert.Equal(computes, app.Total(Duration));

        await OpenMonthSteps.SubmitSelfSheetAsync(app, month, agent01);
        Assert.Equal(self + 1, app.Total(Submitted, "appraisal.sheet.kind", "Self"));

        // Submitting again is refused (the sheet is locked): no count.
        using (var agent = await app.SignInAsync("agent01"))
        {
            using var again = await agent.PostAsync($"/Sheets/Edit?month={month}&person={agent01.ToString(System.Globalization.CultureInfo.InvariantCulture)}&kind=Self", PageForms.Sheet("submit"));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        Assert.Equal(self + 1, app.Total(Submitted, "appraisal.sheet.kind", "Self"));

        await OpenMonthSteps.SubmitSupervisorSheetAsync(app, month, agent01);
        Assert.Equal(supervisor + 1, app.Total(Submitted, "appraisal.sheet.kind", "Supervisor"));

        await OpenMonthSteps.EnterFactsAsync(app, month, agent01);
        var sumBefore = app.HistogramSum(Duration);
        Assert.Contains("已计算 12 名员工的结果", await OpenMonthSteps.ComputeAsync(app, month));
        Assert.Equal(computes + 1, app.Total(Duration));
        Assert.True(app.HistogramSum(Duration) > sumBefore);

        // The compute's own span, inside the request's (HR's POST from the facts page).
        var request = await app.SpanAsync(s => s.Source.Name == "Microsoft.AspNetCore" && s.DisplayName == "POST Months/Facts"
            && app.Spans.Snapshot().Any(c => c.Source.Name == AppMetrics.Name && c.DisplayName == "appraisal.compute" && c.ParentSpanId == s.SpanId));
        Assert.Equal(ActivityKind.Server, request.Kind);
    }

    [Fact]
    public async Task AnEmailHandedToTheServerIsCounted()
    {
        const string Sent = "appraisal.emails.sent";
        var before = app.Total(Sent, "appraisal.email.kind", ReminderKinds.WindowOpen);
        var received = app.Smtp.ReceivedEmailCount;
        var month = await app.OpenMonthAsync();
        await app.DbAsync(async db =>
        {
            var hr = await db.Users.Where(u => u.UserName == "hr").Select(u => u.Id).SingleAsync(Ct);
            db.Outbox.Add(new OutboxMessage
            {
                Kind = ReminderKinds.WindowOpen, UserId = hr, Month = month, Occasion = "telemetry-test", To = "hr@company.test",
                Subject = "test", Body = "test", Status = OutboxStatus.Pending, CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow.AddMinutes(-1),
            });
            return await db.SaveChangesAsync(Ct);
        });

        // Sent by this pass or by the background sender, whichever claims it first: once.
        await app.WithServiceAsync<SendOutbox, int>(s => s.RunAsync(Ct));
        for (var i = 0; i < 200 && app.Smtp.ReceivedEmailCount == received; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(received + 1, app.Smtp.ReceivedEmailCount);
        Assert.Equal(before + 1, app.Total(Sent, "appraisal.email.kind", ReminderKinds.WindowOpen));
    }

    [Fact]
    public void WithAnEndpointTheProvidersAndTheLogExporterAreRegistered()
    {
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.Contains(app.Services.GetServices<ILoggerProvider>(), IsOpenTelemetry);
    }

    internal static bool IsOpenTelemetry(object service) => service.GetType().Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true;
}

/// <summary>
/// Without an endpoint (the default configuration) no OpenTelemetry provider, exporter or background service is
/// registered: nothing is collected, nothing sent. A class of its own in the telemetry group: a second host in the
/// process while <see cref="TelemetryApp"/> listens would end ASP.NET Core's instruments of the same names in its
/// provider when it stops.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class TelemetryOffTests
{
    [Fact]
    public async Task WithoutAnEndpointNoProviderOrExporterIsRegistered()
    {
        await using var plain = new AppFactory();
        Assert.Null(plain.Services.GetService<TracerProvider>());
        Assert.Null(plain.Services.GetService<MeterProvider>());
        Assert.DoesNotContain(plain.Services.GetServices<ILoggerProvider>(), TelemetryTests.IsOpenTelemetry);
        Assert.DoesNotContain(plain.Services.GetServices<IHostedService>(), TelemetryTests.IsOpenTelemetry);
    }

    [Fact]
    public async Task OutsideDevelopmentTheConsoleWritesJsonLinesInUtcWithScopes()
    {
        await using var production = new ProductionApp();
        var console = production.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        var json = production.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.True(json.UseUtcTimestamp);
        Assert.True(json.IncludeScopes);
        Assert.EndsWith("'Z'", json.TimestampFormat, StringComparison.Ordinal);

        // Development keeps the simple console.
        await using var development = new AppFactory();
        Assert.Equal(ConsoleFormatterNames.Simple, development.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    private sealed class ProductionApp : AppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(builder, "Production");
        }
    }
}
