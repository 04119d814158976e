using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportUploadsInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ImportUploads",
                columns: table => new
                {
                    Token = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: true),
                    FileName = table.Column<string>(type: "TEXT", nullable: false),
                    Pasted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportUploads", x => x.Token);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportUploads_At",
                table: "ImportUploads",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ImportUploads_UploadedBy_At",
                table: "ImportUploads",
                columns: new[] { "UploadedBy", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportUploads");
        }
    }
}
