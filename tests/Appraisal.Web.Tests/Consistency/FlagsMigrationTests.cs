using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Consistency;

/// <summary>
/// Results stored before the flags were typed (a comma-separated text of the contract's names) become the
/// <see cref="ResultFlags"/> value when the database is migrated, on SQLite and PostgreSQL, and back.
/// </summary>
public sealed class FlagsMigrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flag_names_stored_as_text_become_the_flags_value()
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var migrator = db.GetService<IMigrator>();
        var before = await db.Results.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Flags, Ct);
        Assert.NotEmpty(before);
        Assert.Contains(before.Values, f => f != ResultFlags.None);

        // Down to the schema of the commit before: the flags are the names again, as that commit stored them.
        await migrator.MigrateAsync("ResultTeamBackfill", Ct);
        var names = await Texts(db);
        Assert.All(before, r => Assert.Equal(string.Join(',', ResultFlagNames.Of(r.Value)), names[r.Key]));

        // Every combination of names, as the old commit wrote them (sorted, comma-separated; none: empty).
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "Results" SET "Flags" = CASE "Id" % 4
                WHEN 0 THEN '' WHEN 1 THEN 'consecutiveFail' WHEN 2 THEN 'lastInScoreAndSales,selfMissing'
                ELSE 'consecutiveFail,lastInScoreAndSales,selfMissing' END
            """, Ct);
        await migrator.MigrateAsync(cancellationToken: Ct);

        var after = await db.Results.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Flags, Ct);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        ResultFlags[] expected = [ResultFlags.None, ResultFlags.ConsecutiveFail, ResultFlags.LastInScoreAndSales | ResultFlags.SelfMissing,
            ResultFlags.ConsecutiveFail | ResultFlags.LastInScoreAndSales | ResultFlags.SelfMissing];
        Assert.All(after, r => Assert.Equal(expected[r.Key % 4], r.Value));
    }

    private static async Task<Dictionary<int, string>> Texts(AppDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\", \"Flags\" FROM \"Results\"";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var texts = new Dictionary<int, string>();
            while (await reader.ReadAsync(Ct))
            {
                texts[reader.GetInt32(0)] = reader.GetString(1);
            }

            return texts;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
