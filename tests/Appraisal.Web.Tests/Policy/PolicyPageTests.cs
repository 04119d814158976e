using System.Net;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Policy;

/// <summary>/Policy shows the policy in force like the seed's KPI sheet and 第八条/第九条, to everyone signed in.</summary>
public sealed class PolicyPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("agent01")]
    [InlineData("sup1")]
    [InlineData("hr")]
    [InlineData("gm")]
    public async Task Everyone_signed_in_sees_the_policy_in_force(string user)
    {
        using var client = await SignIn.AsAsync(app, user);
        var html = await client.GetStringAsync("/Policy", TestContext.Current.CancellationToken);
        foreach (var text in new[]
        {
            "客服 KPI 考核表", "行为考核", "30%", "岗位职责考核", "70%", "纪律性", "自觉遵守和维护公司各项规章制度", "10–15",
            "主管占 60%", "考核结果应用表", "资深客服", "1800", "见习客服", "1200", "推荐", "储备",
            "Y &lt; X", "0.5%", "X ≤ Y &lt; X &#x2B; 50 000", "1%", "Y ≥ X &#x2B; 50 000", "1.2%",
            "一次性奖励 200 元", "需人事复核", "超过 60 天", "seed-1",
        })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_page_speaks_english_when_asked()
    {
        using var client = await SignIn.AsAsync(app, "agent01");
        (await client.GetAsync("/lang/en?returnUrl=/Policy", TestContext.Current.CancellationToken)).Dispose();
        var html = await client.GetStringAsync("/Policy", TestContext.Current.CancellationToken);
        Assert.Contains("Position salary", html, StringComparison.Ordinal);
        Assert.Contains("Senior agent", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sign_in_the_page_sends_to_the_sign_in_page()
    {
        using var client = SignIn.Anonymous(app);
        using var response = await client.GetAsync("/Policy", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Agents_see_a_version_without_the_edit_and_approve_forms()
    {
        using var client = await SignIn.AsAsync(app, "agent01");
        var html = await client.GetStringAsync("/Policy/Version?id=1", TestContext.Current.CancellationToken);
        Assert.Contains("seed-1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Edit", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Approve", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Draft", html, StringComparison.Ordinal);
        using var missing = await client.GetAsync("/Policy/Version?id=999", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
