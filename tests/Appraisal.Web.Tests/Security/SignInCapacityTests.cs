using System.Net;
using Appraisal.App.Sheets;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// A burst of sign-ins beyond capacity (issue 10 §1): with one sign-in checking its password at a time and one
/// waiting, fifteen people pressing 登录 at the same moment from fifteen computers get either their session or a
/// readable "busy, try again" page (429 with Retry-After, both languages) — never a 500 or a timeout — and each
/// of them signs in on trying again. A save acknowledged meanwhile by someone already signed in is stored.
/// </summary>
public sealed class SignInCapacityTests(SignInCapacityTests.NarrowFactory app) : IClassFixture<SignInCapacityTests.NarrowFactory>
{
    private static readonly string[] Burst = ["gm", "hr", "sup1", "sup2", .. Enumerable.Range(2, 11).Select(i => $"agent{i:D2}")];

    [Fact]
    public async Task A_burst_beyond_capacity_is_answered_busy_then_signs_in_and_a_save_meanwhile_is_kept()
    {
        var month = await app.OpenMonthAsync();
        var me = await app.PersonIdAsync("E001");
        using var agent = await app.SignInAsync("agent01");
        var url = $"/Sheets/Edit?month={month}&person={me}&kind=Self";
        var token = await PageForms.TokenAsync(agent.Client, url);

        // Each person on a computer of their own (so the per-address limit is not what answers), the form open.
        var people = Burst.Select((user, i) => (User: user, Client: app.From($"198.51.100.{100 + i}"))).ToList();
        var tokens = await Task.WhenAll(people.Select(p => PageForms.TokenAsync(p.Client, "/Account/Login")));

        var save = PageForms.PostAsync(agent.Client, url, PageForms.Sheet("submit"), token);
        var answers = await Task.WhenAll(people.Select(async (p, i) =>
        {
            using var response = await PageForms.PostAsync(p.Client, "/Account/Login", Form(p.User), tokens[i]);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, Type: response.Content.Headers.ContentType?.MediaType, Body: await response.TextAsync());
        }));
        using (var saved = await save)
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.TooManyRequests, $"{(int)a.StatusCode}"));
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(busy);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.All(busy, a =>
        {
            Assert.True(a.Delta > TimeSpan.Zero, "Retry-After");
            Assert.Equal("text/html", a.Type);
            Assert.Contains("服务器繁忙", a.Body, StringComparison.Ordinal);
            Assert.Contains("try again", a.Body, StringComparison.Ordinal);
            Assert.Contains("href=\"/Account/Login\"", a.Body, StringComparison.Ordinal);
        });

        // Trying again one by one, as the page says, everyone who was turned away signs in.
        foreach (var (p, a) in people.Zip(answers).Where(x => x.Second.StatusCode == HttpStatusCode.TooManyRequests))
        {
            using var again = await PageForms.PostAsync(p.Client, "/Account/Login", "/Account/Login", Form(p.User));
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        foreach (var (_, client) in people)
        {
            client.Dispose();
        }

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Appraisal.App.Data.AppDbContext>();
        var sheet = await db.Sheets.SingleAsync(s => s.Month!.Month == month && s.PersonId == me && s.Kind == SheetKind.Self, TestContext.Current.CancellationToken);
        Assert.NotNull(sheet.SubmittedAt);
    }

    private static Dictionary<string, string> Form(string user) => new() { ["UserName"] = user, ["Password"] = SignIn.Password };

    /// <summary>One sign-in at a time checks its password and one more may wait (<c>SignIn:ConcurrentPermits</c>, <c>SignIn:QueueLength</c>).</summary>
    public sealed class NarrowFactory : ProxiedFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            base.ConfigureWebHost(builder);
            builder.UseSetting("SignIn:ConcurrentPermits", "1");
            builder.UseSetting("SignIn:QueueLength", "1");
        }
    }
}
