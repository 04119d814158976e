using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResultTeam : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TeamId",
                table: "Results",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Results_TeamId",
                table: "Results",
                column: "TeamId");

            migrationBuilder.AddForeignKey(
                name: "FK_Results_Teams_TeamId",
                table: "Results",
                column: "TeamId",
                principalTable: "Teams",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Results_Teams_TeamId",
                table: "Results");

            migrationBuilder.DropIndex(
                name: "IX_Results_TeamId",
                table: "Results");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "Results");
        }
    }
}
