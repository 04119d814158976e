using System.Net;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// Issue 10 §3: a previewed file is kept in the database, not in the memory of the instance that previewed it. Two
/// hosts over one database stand for two instances behind a load balancer (each has its own services and singletons).
/// </summary>
public sealed class ImportInstancesTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_previewed_on_one_instance_is_confirmed_on_another_and_only_once()
    {
        var demo = await Demo.LoadAsync(app);
        await using var other = app.WithWebHostBuilder(_ => { });
        using var hrA = await SignIn.AsAsync(app, "hr");
        using var hrB = await SignIn.AsAsync(other, "hr");
        var url = $"/api/imports/sales?month={demo.Current}&fileName=sales.xlsx";

        var preview = (await ImportTests.UploadAsync(hrA, url, Sales(70100m, 71100m))).AssertOk();
        var token = preview.GetProperty("token").GetString();
        Assert.Equal(1, await app.DbAsync(db => db.ImportUploads.CountAsync(u => u.Token == token, Ct)));

        var outcome = (await hrB.SendAsync("POST", $"/api/imports/confirm/{token}")).AssertOk();
        Assert.Equal(1, outcome.GetProperty("changed").GetInt32());
        Assert.Equal(71100m, await SalesOfE002Async(demo));
        Assert.Equal(0, await app.DbAsync(db => db.ImportUploads.CountAsync(u => u.Token == token, Ct)));

        // Confirmed already, on the other instance: gone here too, and nothing changes.
        var again = await hrA.SendAsync("POST", $"/api/imports/confirm/{token}");
        Assert.Equal(HttpStatusCode.NotFound, again.Status);

        // Two confirmations of one file at once, one on each instance: one applies it, the other changes nothing.
        var applied = await AppliedAsync();
        var second = (await ImportTests.UploadAsync(hrB, url, Sales(70200m, 71200m))).AssertOk().GetProperty("token").GetString();
        var answers = await Task.WhenAll(
            Task.Run(() => hrA.SendAsync("POST", $"/api/imports/confirm/{second}"), Ct),
            Task.Run(() => hrB.SendAsync("POST", $"/api/imports/confirm/{second}"), Ct));
        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Single(answers, a => a.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict);
        Assert.Equal(applied + 1, await AppliedAsync());
        Assert.Equal(71200m, await SalesOfE002Async(demo));
    }

    [Fact]
    public async Task Only_who_previewed_a_file_may_confirm_it_on_any_instance()
    {
        var demo = await Demo.LoadAsync(app);
        await using var other = app.WithWebHostBuilder(_ => { });
        using var hr = await SignIn.AsAsync(app, "hr");
        using var admin = await SignIn.AsAsync(other, "admin");
        var token = (await ImportTests.UploadAsync(hr, $"/api/imports/sales?month={demo.Current}&fileName=sales.xlsx", Sales(70300m, 71300m)))
            .AssertOk().GetProperty("token").GetString();
        var before = await SalesOfE002Async(demo);

        var answer = await admin.SendAsync("POST", $"/api/imports/confirm/{token}");
        Assert.True(answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{answer.Status}");
        Assert.Equal(before, await SalesOfE002Async(demo));
        Assert.Equal(1, await app.DbAsync(db => db.ImportUploads.CountAsync(u => u.Token == token, Ct)));
    }

    private static byte[] Sales(decimal plan, decimal actual) => ImportTests.Workbook("销售", new[]
    {
        new Dictionary<string, object?> { ["工号"] = "E002", ["姓名"] = null, ["销售计划"] = plan, ["实际销售额"] = actual },
    });

    private Task<decimal> SalesOfE002Async(Demo demo) =>
        app.DbAsync(db => db.Facts.AsNoTracking().Where(f => f.PersonId == demo.Id("E002") && f.Month!.Month == demo.Current.ToString()).Select(f => f.SalesActual).SingleAsync(Ct));

    private Task<int> AppliedAsync() => app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "import.apply", Ct));
}
