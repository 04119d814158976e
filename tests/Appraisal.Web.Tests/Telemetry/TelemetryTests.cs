using System.Diagnostics;
using System.Net;
using Appraisal.App.Telemetry;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
}
