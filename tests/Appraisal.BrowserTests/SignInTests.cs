namespace Appraisal.BrowserTests;

public sealed class SignInTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("agent01", "填写")]
    [InlineData("sup1", "待评分")]
    [InlineData("hr", "计算结果")]
    [InlineData("gm", "待办")]
    public async Task Each_demo_role_signs_in_and_sees_their_to_do_list(string user, string expected)
    {
        var page = await app.SignInAsync(user);

        Assert.Contains(expected, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await BrowserApp.ScreenshotAsync(page, $"home-{user}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#UserName", "hr");
        await page.FillAsync("#Password", "wrong-password");
        await page.ClickAsync("button[type=submit]");

        Assert.Contains("用户名或密码不正确", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_language_switch_turns_the_page_into_English()
    {
        var page = await app.SignInAsync("hr");
        await page.ClickAsync("text=English");

        Assert.Contains("Waiting for you", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
