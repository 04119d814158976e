using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Api;

/// <summary>/api/months/{month}/payslips/{person} (D19) and the person's acknowledgement and appeal (D16).</summary>
public sealed class PayApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("agent01", "E001", true, HttpStatusCode.OK)]
    [InlineData("agent01", "E002", true, HttpStatusCode.Forbidden)]
    [InlineData("agent01", "E001", false, HttpStatusCode.Forbidden)]
    [InlineData("sup1", "E002", true, HttpStatusCode.OK)]
    [InlineData("sup1", "E007", true, HttpStatusCode.Forbidden)]
    [InlineData("hr", "E012", true, HttpStatusCode.OK)]
    [InlineData("gm", "E012", true, HttpStatusCode.OK)]
    [InlineData("admin", "E001", true, HttpStatusCode.Forbidden)]
    public async Task The_payslip_follows_D19(string user, string employeeNo, bool confirmedMonth, HttpStatusCode expected)
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, user);
        var month = confirmedMonth ? demo.Previous : demo.Current;
        // An agent's own unconfirmed month is refused for publication (D16) before any row is looked for.
        var answer = await client.SendAsync("GET", $"/api/months/{month}/payslips/{demo.Id(employeeNo)}");
        if (expected == HttpStatusCode.OK)
        {
            var body = answer.AssertOk();
            Assert.Equal(employeeNo, body.GetProperty("employeeNo").GetString());
            Assert.True(body.GetProperty("totalPay").GetDecimal() > 0);
        }
        else
        {
            answer.AssertProblem(expected);
        }
    }

    [Fact]
    public async Task Reading_someone_elses_payslip_is_audited_and_ones_own_is_not()
    {
        var demo = await Demo.LoadAsync(app);
        using var sup = await SignIn.AsAsync(app, "sup1");
        using var agent = await SignIn.AsAsync(app, "agent03");
        var mark = await app.DbAsync(db => db.Audit.MaxAsync(a => (long?)a.Id)) ?? 0;
        (await sup.SendAsync("GET", $"/api/months/{demo.Previous}/payslips/{demo.Id("E003")}")).AssertOk();
        (await agent.SendAsync("GET", $"/api/months/{demo.Previous}/payslips/{demo.Id("E003")}")).AssertOk();
        var reads = await app.DbAsync(db => db.Audit.Where(a => a.Id > mark && a.Action == "pay.read").ToListAsync());
        var entry = Assert.Single(reads);
        Assert.Equal("sup1", entry.User);
        Assert.Equal(demo.Id("E003"), entry.PersonId);
    }

    [Fact]
    public async Task A_person_acknowledges_their_own_result_once()
    {
        var demo = await Demo.LoadAsync(app);
        using var agent = await SignIn.AsAsync(app, "agent04");
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E005")}/acknowledgement")).AssertProblem(HttpStatusCode.Forbidden);
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E004")}/acknowledgement")).AssertOk();
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E004")}/acknowledgement")).AssertProblem(HttpStatusCode.Conflict);
        var slip = (await agent.SendAsync("GET", $"/api/months/{demo.Previous}/payslips/{demo.Id("E004")}")).AssertOk();
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, slip.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task A_person_appeals_their_own_result_with_a_reason()
    {
        var demo = await Demo.LoadAsync(app);
        await app.ConfirmedAnHourAgoAsync(demo.Previous.ToString());
        using var agent = await SignIn.AsAsync(app, "agent06");
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E006")}/appeals", new { reason = " " })).AssertProblem(HttpStatusCode.BadRequest);
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E005")}/appeals", new { reason = "x" })).AssertProblem(HttpStatusCode.Forbidden);
        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E006")}/appeals", new { reason = "x" })).AssertProblem(HttpStatusCode.Forbidden);

        var appeal = (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E006")}/appeals", new { reason = "销售额录入有误" }))
            .AssertOk(HttpStatusCode.Created);
        Assert.Equal("open", appeal.GetProperty("status").GetString());
        (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E006")}/appeals", new { reason = "again" })).AssertProblem(HttpStatusCode.Conflict);
    }
}
