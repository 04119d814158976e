using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Appraisal.App.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DataVersionTypedFlagsTextLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Texts longer than the limit the pages state could be stored through the API before it was checked;
            // they are cut to the limit so that the column can have it (the audit log keeps what was done).
            migrationBuilder.Sql("""
                UPDATE "WindowExtensions" SET "Reason" = left("Reason", 500) WHERE length("Reason") > 500;
                UPDATE "Sheets" SET "Comment" = left("Comment", 1000) WHERE length("Comment") > 1000;
                UPDATE "SheetItems" SET "Comment" = left("Comment", 500) WHERE length("Comment") > 500;
                UPDATE "ReviewSteps" SET "Note" = left("Note", 2000) WHERE length("Note") > 2000;
                UPDATE "PolicyVersions" SET "Note" = left("Note", 500) WHERE length("Note") > 500;
                UPDATE "PayAdjustments" SET "Reason" = left("Reason", 500) WHERE length("Reason") > 500;
                UPDATE "FlagReviews" SET "Decision" = left("Decision", 2000) WHERE length("Decision") > 2000;
                UPDATE "FeedbackTalks" SET "Notes" = left("Notes", 500) WHERE length("Notes") > 500;
                UPDATE "Facts" SET "OverrideReason" = left("OverrideReason", 500) WHERE length("OverrideReason") > 500;
                UPDATE "Appeals" SET "Reason" = left("Reason", 2000) WHERE length("Reason") > 2000;
                UPDATE "Appeals" SET "Decision" = left("Decision", 2000) WHERE length("Decision") > 2000;
                """);

            // The flags become the engine's integer value (ResultFlags: consecutiveFail 1, lastInScoreAndSales 2, selfMissing 4).
            migrationBuilder.Sql("""
                ALTER TABLE "Results" ALTER COLUMN "Flags" TYPE integer USING
                    (CASE WHEN ',' || "Flags" || ',' LIKE '%,consecutiveFail,%' THEN 1 ELSE 0 END)
                  + (CASE WHEN ',' || "Flags" || ',' LIKE '%,lastInScoreAndSales,%' THEN 2 ELSE 0 END)
                  + (CASE WHEN ',' || "Flags" || ',' LIKE '%,selfMissing,%' THEN 4 ELSE 0 END);
                """);

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "WindowExtensions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Comment",
                table: "Sheets",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Comment",
                table: "SheetItems",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "ReviewSteps",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);


            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "PolicyVersions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "PayAdjustments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<int>(
                name: "DataVersion",
                table: "Months",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<string>(
                name: "Decision",
                table: "FlagReviews",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Notes",
                table: "FeedbackTalks",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "OverrideReason",
                table: "Facts",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "Appeals",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Decision",
                table: "Appeals",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DataVersion",
                table: "Months");

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "WindowExtensions",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500);

            migrationBuilder.AlterColumn<string>(
                name: "Comment",
                table: "Sheets",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Comment",
                table: "SheetItems",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "ReviewSteps",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000,
                oldNullable: true);

            migrationBuilder.Sql("""
                ALTER TABLE "Results" ALTER COLUMN "Flags" TYPE text USING concat_ws(',',
                    CASE WHEN "Flags" & 1 <> 0 THEN 'consecutiveFail' END,
                    CASE WHEN "Flags" & 2 <> 0 THEN 'lastInScoreAndSales' END,
                    CASE WHEN "Flags" & 4 <> 0 THEN 'selfMissing' END);
                """);

            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "PolicyVersions",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "PayAdjustments",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500);

            migrationBuilder.AlterColumn<string>(
                name: "Decision",
                table: "FlagReviews",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Notes",
                table: "FeedbackTalks",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500);

            migrationBuilder.AlterColumn<string>(
                name: "OverrideReason",
                table: "Facts",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Reason",
                table: "Appeals",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000);

            migrationBuilder.AlterColumn<string>(
                name: "Decision",
                table: "Appeals",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000,
                oldNullable: true);
        }
    }
}
