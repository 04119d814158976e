using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Appraisal.App.Data;

/// <summary>
/// Tells a lost race from a fault: a save that failed because someone else changed the row first (its
/// <c>Version</c>) or created the same record first (a unique key) is a conflict the person can resolve by
/// reloading (409), never a server error.
/// </summary>
public static class DbConflicts
{
    public static bool IsConflict(DbUpdateException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex is DbUpdateConcurrencyException || ex.InnerException switch
        {
            // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
            PostgresException p => p.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
            _ => false,
        };
    }

    /// <summary>Saves, turning a lost race into <paramref name="conflict"/> (or the general "changed by someone else").</summary>
    public static async Task SaveOrConflictAsync(this AppDbContext db, CancellationToken ct, UserError? conflict = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (IsConflict(ex))
        {
            throw conflict ?? UserError.Conflict();
        }
    }
}
