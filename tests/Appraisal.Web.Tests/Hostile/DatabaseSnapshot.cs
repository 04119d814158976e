using System.Data.Common;
using System.Globalization;
using System.Text;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Appraisal.Web.Tests.Hostile;

/// <summary>
/// Every row of every table of the model as text, tables and rows in a fixed order, so that two snapshots are
/// equal exactly when nothing in the database changed. Read with plain SQL over the model's own table and column
/// names, so it sees what is stored, on SQLite and PostgreSQL alike.
/// </summary>
public static class DatabaseSnapshot
{
    public static Task<Dictionary<string, List<string>>> TakeAsync(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.DbAsync(async db =>
        {
            var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            try
            {
                foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.BaseType is null).OrderBy(e => e.GetTableName(), StringComparer.Ordinal))
                {
                    var table = entity.GetTableName()!;
                    var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                    var key = entity.FindPrimaryKey()!.Properties.Select(p => Quote(p.GetColumnName(store)!));
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT * FROM {Quote(table)} ORDER BY {string.Join(", ", key)}";
                    tables[table] = await RowsAsync(command);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return tables;
        });
    }

    /// <summary>The tables that differ between two snapshots, each with its first differing row, for a message.</summary>
    public static List<string> Differences(Dictionary<string, List<string>> before, Dictionary<string, List<string>> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var differences = new List<string>();
        foreach (var (table, rows) in before)
        {
            var now = after[table];
            if (!rows.SequenceEqual(now, StringComparer.Ordinal))
            {
                var added = now.Except(rows, StringComparer.Ordinal).FirstOrDefault();
                var removed = rows.Except(now, StringComparer.Ordinal).FirstOrDefault();
                differences.Add($"{table}: {rows.Count} → {now.Count} rows; new: {added ?? "-"}; gone: {removed ?? "-"}");
            }
        }

        return differences;
    }

    private static async Task<List<string>> RowsAsync(DbCommand command)
    {
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new StringBuilder();
            for (var c = 0; c < reader.FieldCount; c++)
            {
                row.Append(reader.GetName(c)).Append('=');
                row.Append(reader.IsDBNull(c) ? "∅" : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture)).Append('|');
            }

            rows.Add(row.ToString());
        }

        return rows;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
