namespace Appraisal.App.Data;

/// <summary>
/// Whether the demo company (with its published passwords) may exist: only when <c>Demo:Enabled</c> says so
/// explicitly — appsettings.Development.json does, a production start never does by default (issue 7 §3).
/// Pages show a banner while it is on.
/// </summary>
public static class DemoMode
{
    public const string Setting = "Demo:Enabled";

    /// <summary>On only when set to true; unset or empty is off.</summary>
    public static bool IsOn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration?[Setting]) && configuration.GetValue<bool>(Setting);
}
