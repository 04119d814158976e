using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResultTeamBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Results computed before the team was recorded take the person's team as it is now: the best known.
            // A migration of its own: on SQLite the one before rebuilds the table, which SQL beside it must not race.
            migrationBuilder.Sql("UPDATE \"Results\" SET \"TeamId\" = (SELECT \"TeamId\" FROM \"People\" WHERE \"People\".\"Id\" = \"Results\".\"PersonId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the column goes with the migration before.
        }
    }
}
