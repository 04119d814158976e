using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Audit_At",
                table: "Audit");

            migrationBuilder.AddColumn<string>(
                name: "Changes",
                table: "Audit",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Audit_Action_At",
                table: "Audit",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_At_Id",
                table: "Audit",
                columns: new[] { "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_Month_At",
                table: "Audit",
                columns: new[] { "Month", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_PersonId_At",
                table: "Audit",
                columns: new[] { "PersonId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_User_At",
                table: "Audit",
                columns: new[] { "User", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Audit_Action_At",
                table: "Audit");

            migrationBuilder.DropIndex(
                name: "IX_Audit_At_Id",
                table: "Audit");

            migrationBuilder.DropIndex(
                name: "IX_Audit_Month_At",
                table: "Audit");

            migrationBuilder.DropIndex(
                name: "IX_Audit_PersonId_At",
                table: "Audit");

            migrationBuilder.DropIndex(
                name: "IX_Audit_User_At",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "Changes",
                table: "Audit");

            migrationBuilder.CreateIndex(
                name: "IX_Audit_At",
                table: "Audit",
                column: "At");
        }
    }
}
