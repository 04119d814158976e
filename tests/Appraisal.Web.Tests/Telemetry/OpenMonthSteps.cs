using System.Globalization;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Telemetry;

/// <summary>
/// The demo's open month taken to its results through the pages, in the steps the telemetry and log tests watch:
/// agent01 submits the self-assessment, sup1 the supervisor's sheet, HR enters agent01's facts and computes.
/// </summary>
internal static class OpenMonthSteps
{
    public static async Task SubmitSelfSheetAsync(AppFactory app, string month, int agent01)
    {
        using var agent = await app.SignInAsync("agent01");
        using var submit = await agent.PostAsync($"/Sheets/Edit?month={month}&person={Id(agent01)}&kind=Self", PageForms.Sheet("submit"));
        Assert.Contains("已提交", Html.Notice(await agent.FollowAsync(submit)));
    }

    public static async Task SubmitSupervisorSheetAsync(AppFactory app, string month, int agent01)
    {
        using var sup1 = await app.SignInAsync("sup1");
        using var submit = await sup1.PostAsync($"/Sheets/Edit?month={month}&person={Id(agent01)}&kind=Supervisor",
            PageForms.Sheet("submit", i => i.Key == "performance" ? (2, "30") : null));
        Assert.Contains("已提交", Html.Notice(await sup1.FollowAsync(submit)));
    }

    public static async Task EnterFactsAsync(AppFactory app, string month, int agent01)
    {
        using var hr = await app.SignInAsync("hr");
        using var save = await hr.PostAsync($"/Months/Facts?month={month}&handler=Save", PageForms.FactsRow(0, agent01, "80000", "91234.50", "1", null));
        Assert.Contains("已保存 1 人的数据", Html.Notice(await hr.FollowAsync(save)));
    }

    /// <summary>HR's compute from the facts page; returns the message it answers with (the notice, or the refusal).</summary>
    public static async Task<string> ComputeAsync(AppFactory app, string month)
    {
        using var hr = await app.SignInAsync("hr");
        using var compute = await hr.PostAsync($"/Months/Facts?month={month}&handler=Compute");
        var page = compute.StatusCode == System.Net.HttpStatusCode.Redirect ? await hr.FollowAsync(compute) : await compute.TextAsync();
        return Html.Notice(page) ?? Html.Error(page) ?? string.Empty;
    }

    private static string Id(int personId) => personId.ToString(CultureInfo.InvariantCulture);
}
