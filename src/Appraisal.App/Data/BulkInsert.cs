using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Appraisal.App.Data;

/// <summary>
/// Many new rows of one entity type written with multi-row INSERTs in the current transaction instead of one
/// statement per row (an import of 50 000 sales rows adds 50 000 facts and as many audit entries). The rows are the
/// entities the context tracks as Added, with the values and conversions of the model (each column's own type
/// mapping); once written they are no longer tracked, and their database-generated keys are not read back, so this
/// is for rows nobody reads again in the same unit of work. Below <see cref="Threshold"/> rows nothing happens and
/// SaveChanges writes them as usual. A unique key taken by someone else meanwhile fails like SaveChanges does
/// (<see cref="DbUpdateException"/>), so that <see cref="DbConflicts"/> tells it as a conflict.
/// </summary>
public static class BulkInsert
{
    public const int Threshold = 500;

    /// <summary>
    /// Parameters per statement. PostgreSQL takes up to 65 535 and is fastest with few round trips; SQLite finds each
    /// parameter by name in a list as long as the statement's, so its statements stay short (one round trip costs it nothing).
    /// </summary>
    private static int MaxParameters(AppDbContext db) => db.Database.IsSqlite() ? 120 : 8000;

    public static async Task InsertAddedAsync<T>(this AppDbContext db, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        var entries = db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).ToList();
        if (entries.Count < Threshold)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert must run inside the command's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToList();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) VALUES ";
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
        var perStatement = Math.Max(1, MaxParameters(db) / columns.Count);
        var connection = db.Database.GetDbConnection();

        try
        {
            for (var start = 0; start < entries.Count; start += perStatement)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var text = new StringBuilder(head);
                var n = 0;
                foreach (var entry in entries.Skip(start).Take(perStatement))
                {
                    text.Append(n == 0 ? "(" : ", (");
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var name = "p" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + c.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        command.Parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName(name), entry.CurrentValues[columns[c]], columns[c].IsNullable));
                        text.Append(c == 0 ? string.Empty : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                    }

                    text.Append(')');
                    n++;
                }

#pragma warning disable CA2100 // The statement is built from the model's own table and column names; every value is a parameter.
                command.CommandText = text.ToString();
#pragma warning restore CA2100
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"bulk insert into {table.Name} failed", ex);
        }

        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }
    }
}
