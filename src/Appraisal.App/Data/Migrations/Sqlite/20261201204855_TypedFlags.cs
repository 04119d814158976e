using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TypedFlags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The flags become the engine's integer value. SQLite rebuilds the table and copies the old names as
            // text (an INTEGER column keeps text that is not a number); the next migration converts them, in a
            // migration of its own because SQL must not run beside a rebuild; Months.DataVersion is added there too,
            // so that this migration is the rebuild alone (it cannot run in a transaction).
            migrationBuilder.AlterColumn<int>(
                name: "Flags",
                table: "Results",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Flags",
                table: "Results",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "INTEGER");
        }
    }
}
