using Appraisal.App.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.People;

/// <summary>
/// The administrator's accounts page at company size (issue 10): 100 accounts per page in user-name order, the count of
/// those matching, the pages linked, and a search by user name, name or employee number done by the database.
/// </summary>
public sealed class AccountsPagingTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_are_shown_a_hundred_per_page_and_found_by_search()
    {
        // 150 accounts named zz000…zz149 on top of the demo's (no password: only listed, never signed in with).
        var before = await app.DbAsync(db => db.Users.CountAsync(Ct));
        await app.DbAsync(async db =>
        {
            for (var i = 0; i < 150; i++)
            {
                var name = $"zz{i:D3}";
                db.Users.Add(new AppUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString("N") });
            }

            return await db.SaveChangesAsync(Ct);
        });
        var total = before + 150;
        using var admin = await SignIn.AsAsync(app, "admin");

        var first = await admin.GetStringAsync("/People/Accounts", Ct);
        Assert.Contains($"共 {total} 个", first, StringComparison.Ordinal);
        Assert.Contains("显示第 1–100 个", first, StringComparison.Ordinal);
        Assert.Contains("p=2", first, StringComparison.Ordinal);

        var last = await admin.GetStringAsync($"/People/Accounts?p={(total + 99) / 100}", Ct);
        Assert.Contains("zz149", last, StringComparison.Ordinal);
        Assert.DoesNotContain(">zz000<", last, StringComparison.Ordinal);

        var found = await admin.GetStringAsync("/People/Accounts?q=ZZ07", Ct);
        Assert.Contains("符合条件 10 个账户", found, StringComparison.Ordinal);
        Assert.Contains("zz075", found, StringComparison.Ordinal);
        Assert.DoesNotContain("zz149", found, StringComparison.Ordinal);
    }
}
