using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Appraisal.App.Telemetry;

/// <summary>
/// The product's own telemetry (issue 10 item 4), defined once: one <see cref="ActivitySource"/> and one
/// <see cref="Meter"/>, both named <see cref="Name"/>, with the month's compute time, the sheets submitted and the
/// reminder e-mails sent. Each figure is recorded by the command that does the work, after its transaction has
/// committed, so that a refused or rolled-back attempt counts nothing. They carry counts, durations and the kind of
/// sheet or e-mail — never a person, a score or pay. Nothing listens unless the web host's telemetry is on
/// (an OTLP endpoint configured: docs/deployment.md); then these are exported with ASP.NET Core's, HTTP's, the
/// runtime's and Npgsql's.
/// </summary>
public static class AppMetrics
{
    /// <summary>The name of the product's activity source and meter.</summary>
    public const string Name = "Appraisal";

    /// <summary>Spans of the product's own work (a month's compute).</summary>
    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>How long a month's compute took, from reading the data to the committed results (HR's compute, 第十二条).</summary>
    public static readonly Histogram<double> ComputeDuration = Meter.CreateHistogram<double>(
        "appraisal.compute.duration", unit: "s", description: "Time to compute and store a month's results");

    /// <summary>KPI sheets submitted (self or supervisor, D16), counted once the submit has committed.</summary>
    public static readonly Counter<long> SheetsSubmitted = Meter.CreateCounter<long>(
        "appraisal.sheets.submitted", unit: "{sheet}", description: "KPI sheets submitted");

    /// <summary>Reminder e-mails handed to the SMTP server (issue 9).</summary>
    public static readonly Counter<long> EmailsSent = Meter.CreateCounter<long>(
        "appraisal.emails.sent", unit: "{email}", description: "Reminder e-mails sent");

    /// <summary>Records one committed compute of <paramref name="people"/> agents that started at <paramref name="startedTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static void Computed(long startedTimestamp, int people) =>
        ComputeDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("appraisal.people", Bucket(people)));

    /// <summary>Records one committed submit of a sheet of <paramref name="kind"/> (Self or Supervisor).</summary>
    public static void Submitted(string kind) => SheetsSubmitted.Add(1, new KeyValuePair<string, object?>("appraisal.sheet.kind", kind));

    /// <summary>Records one e-mail of <paramref name="kind"/> accepted by the SMTP server.</summary>
    public static void EmailSent(string kind) => EmailsSent.Add(1, new KeyValuePair<string, object?>("appraisal.email.kind", kind));

    // The company's size as an order of magnitude, so that durations compare like with like without a tag per count.
    private static string Bucket(int people) => people switch
    {
        < 100 => "<100",
        < 1_000 => "<1000",
        < 10_000 => "<10000",
        _ => ">=10000",
    };
}
