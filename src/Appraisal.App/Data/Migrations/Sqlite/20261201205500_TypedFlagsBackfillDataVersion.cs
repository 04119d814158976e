using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TypedFlagsBackfillDataVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // D16: the month's data version; existing months start at 0.
            migrationBuilder.AddColumn<int>(
                name: "DataVersion",
                table: "Months",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // The flag names copied as text by the rebuild before become the ResultFlags value:
            // consecutiveFail 1, lastInScoreAndSales 2, selfMissing 4 (no flag: the empty text, 0).
            migrationBuilder.Sql("""
                UPDATE "Results" SET "Flags" =
                    (CASE WHEN instr(',' || "Flags" || ',', ',consecutiveFail,') > 0 THEN 1 ELSE 0 END)
                  + (CASE WHEN instr(',' || "Flags" || ',', ',lastInScoreAndSales,') > 0 THEN 2 ELSE 0 END)
                  + (CASE WHEN instr(',' || "Flags" || ',', ',selfMissing,') > 0 THEN 4 ELSE 0 END)
                WHERE typeof("Flags") = 'text';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the names, which the rebuild of the migration before turns into a TEXT column again.
            migrationBuilder.Sql("""
                UPDATE "Results" SET "Flags" = trim(
                    (CASE WHEN "Flags" & 1 <> 0 THEN 'consecutiveFail,' ELSE '' END)
                  || (CASE WHEN "Flags" & 2 <> 0 THEN 'lastInScoreAndSales,' ELSE '' END)
                  || (CASE WHEN "Flags" & 4 <> 0 THEN 'selfMissing,' ELSE '' END), ',')
                WHERE typeof("Flags") = 'integer';
                """);

            migrationBuilder.DropColumn(
                name: "DataVersion",
                table: "Months");
        }
    }
}
