using System.Globalization;

namespace Appraisal.App.Reminders;

/// <summary>
/// The e-mail settings (<c>Smtp:*</c>, <c>App:BaseUrl</c>, <c>Reminders:*</c>). E-mail is off while
/// <c>Smtp:Host</c> is not set: nothing is queued and nothing is sent; the in-app notices work either way.
/// </summary>
public sealed class MailSettings(IConfiguration configuration)
{
    public string? Host { get; } = NullIfBlank(configuration["Smtp:Host"]);

    public int Port { get; } = configuration.GetValue("Smtp:Port", 25);

    /// <summary>The sender's address, e.g. <c>绩效考核 &lt;appraisal@example.com&gt;</c>.</summary>
    public string From { get; } = NullIfBlank(configuration["Smtp:From"]) ?? "appraisal@localhost";

    public string? User { get; } = NullIfBlank(configuration["Smtp:User"]);

    public string? Password { get; } = configuration["Smtp:Password"];

    /// <summary>TLS: implicit on port 465, STARTTLS otherwise; false sends in plain text (a relay on the same network).</summary>
    public bool UseTls { get; } = configuration.GetValue("Smtp:UseTls", false);

    /// <summary>The address of the web application in links, e.g. <c>https://appraisal.example.com</c>; without it the links are paths.</summary>
    public string? BaseUrl { get; } = NullIfBlank(configuration["App:BaseUrl"])?.TrimEnd('/');

    /// <summary>How often the sender looks for messages to send.</summary>
    public TimeSpan PollEvery { get; } = TimeSpan.FromSeconds(configuration.GetValue("Reminders:PollSeconds", 30.0));

    /// <summary>How often the dated reminders (the window's opening day, the day before its deadline) are looked for.</summary>
    public TimeSpan ScanEvery { get; } = TimeSpan.FromMinutes(configuration.GetValue("Reminders:ScanMinutes", 15.0));

    /// <summary>Attempts before a message is given up (each failure waits twice as long as the one before, up to an hour).</summary>
    public int MaxAttempts { get; } = Math.Max(1, configuration.GetValue("Reminders:MaxAttempts", 10));

    /// <summary>A claim older than this is taken to be a sender that stopped: the message is sent again (docs/reliability.md).</summary>
    public TimeSpan Lease { get; } = TimeSpan.FromMinutes(configuration.GetValue("Reminders:LeaseMinutes", 10.0));

    public bool Enabled => Host is not null;

    /// <summary>The full address of a page of the application, for a message.</summary>
    public string Link(string path) => (BaseUrl ?? string.Empty) + path;

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: 1, 2, 4 … minutes, at most an hour.</summary>
    public static TimeSpan BackOff(int attempts) =>
        TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Clamp(attempts - 1, 0, 10))));

    /// <summary>What the start log says about e-mail.</summary>
    public string Describe() => Enabled
        ? string.Create(CultureInfo.InvariantCulture, $"E-mail reminders on: SMTP {Host}:{Port}{(UseTls ? " (TLS)" : string.Empty)}, from {From}, links to {BaseUrl ?? "(App:BaseUrl not set: paths only)"}")
        : "E-mail reminders off: Smtp:Host is not set (the home page's notices still show).";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
