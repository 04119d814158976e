using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Appraisal.App.Data;

/// <summary>
/// Many new rows of one entity type written in the current transaction in a few statements instead of one per row
/// (an import of 50 000 sales rows adds 50 000 facts and as many audit entries): binary COPY on PostgreSQL, multi-row
/// INSERT prepared once and run for each row on SQLite. The values go through the model's conversions and each column's own type mapping. The rows are
/// either given as a list, never tracked by the context (<see cref="InsertAsync{T}"/>: what a command uses when it
/// knows it adds many rows, so that 100 000 entities are not tracked for nothing), or the entities the context tracks
/// as Added (<see cref="InsertAddedAsync{T}"/>), detached once written. Database-generated keys are not read back, so
/// this is for rows nobody reads again in the same unit of work. Below <see cref="Threshold"/> rows SaveChanges writes
/// them as usual. A unique key taken by someone else meanwhile fails like SaveChanges does
/// (<see cref="DbUpdateException"/>), so that <see cref="DbConflicts"/> tells it as a conflict.
/// </summary>
public static class BulkInsert
{
    public const int Threshold = 500;

    /// <summary>The entities the context tracks as Added, when there are at least <see cref="Threshold"/>; then detached.</summary>
    public static async Task InsertAddedAsync<T>(this AppDbContext db, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        var entries = db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).ToList();
        if (entries.Count < Threshold)
        {
            return;
        }

        await WriteAsync(db, entries.Select(e => e.Entity).ToList(), ct);
        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>Writes <paramref name="rows"/> (new entities the context does not track) in the current transaction.</summary>
    public static Task InsertAsync<T>(this AppDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? Task.CompletedTask : WriteAsync(db, rows, ct);
    }

    private static async Task WriteAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert must run inside the command's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => new Column(p, table)).ToList();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var columnList = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));

        try
        {
            if (transaction.Connection is NpgsqlConnection postgres)
            {
                await CopyAsync(postgres, $"COPY {tableName} ({columnList}) FROM STDIN (FORMAT BINARY)", columns, rows, ct);
            }
            else
            {
                await InsertRowsAsync(transaction, sql, $"INSERT INTO {tableName} ({columnList}) VALUES ", columns, rows, ct);
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"bulk insert into {table.Name} failed", ex);
        }
    }

    /// <summary>PostgreSQL's binary COPY: one statement, no parameters, each value sent in its column's own type.</summary>
    private static async Task CopyAsync<T>(NpgsqlConnection connection, string copy, List<Column> columns, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                if (column.Value(row) is { } value)
                {
                    await importer.WriteAsync(value, column.DataTypeName, ct);
                }
                else
                {
                    await importer.WriteNullAsync(ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>
    /// SQLite: one INSERT of one row, prepared once and run for every row with new values (SQLite has no round
    /// trip to save; what costs is preparing statements and looking up their parameters).
    /// </summary>
    private static async Task InsertRowsAsync<T>(DbTransaction transaction, ISqlGenerationHelper sql, string head, List<Column> columns,
        IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        var names = columns.Select((_, c) => string.Create(CultureInfo.InvariantCulture, $"p{c}")).ToList();
#pragma warning disable CA2100 // The statement is built from the model's own table and column names; every value is a parameter.
        command.CommandText = head + "(" + string.Join(", ", names.Select(sql.GenerateParameterNamePlaceholder)) + ")";
#pragma warning restore CA2100
        for (var c = 0; c < columns.Count; c++)
        {
            // The column's own mapping makes the parameter (its type and conversion), from the first row's value.
            command.Parameters.Add(columns[c].Mapping.CreateParameter(command, sql.GenerateParameterName(names[c]), columns[c].ModelValue(rows[0]), columns[c].Property.IsNullable));
        }

        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    command.Parameters[c].Value = columns[c].Value(rows[r]) ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A column written: its property, name, type mapping and the value it stores (after the model's conversion).</summary>
    private sealed class Column(IProperty property, StoreObjectIdentifier table)
    {
        private readonly IClrPropertyGetter getter = property.GetGetter();

        public IProperty Property => property;

        public string Name { get; } = property.GetColumnName(table)!;

        public RelationalTypeMapping Mapping { get; } = property.GetRelationalTypeMapping();

        /// <summary>The store type without its length or precision ("numeric(18,4)" → "numeric"), as COPY names it.</summary>
        public string DataTypeName { get; } = Bare(property.GetRelationalTypeMapping().StoreType);

        private static string Bare(string storeType) =>
            storeType.IndexOf('(', StringComparison.Ordinal) is var i and >= 0 ? storeType[..i].TrimEnd() : storeType;

        /// <summary>The entity's value, before the model's conversion (what a mapping's parameter takes).</summary>
        public object? ModelValue(object entity) => getter.GetClrValue(entity);

        /// <summary>The value as stored, after the model's conversion.</summary>
        public object? Value(object entity)
        {
            var value = getter.GetClrValue(entity);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }
}
