using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Sheets;

namespace Appraisal.Web.Sheets;

/// <summary>
/// <c>/api/months/{month}/sheets/{person}/{kind}</c>: a KPI sheet, read and saved through <see cref="SaveSheet"/>.
/// Who may read and write is <see cref="SheetAccess"/>'s rule (D16, D19, D22), applied by <see cref="ReadSheet"/>
/// and <see cref="SaveSheet"/>.
/// </summary>
public static class SheetsApi
{
    public static IEndpointRouteBuilder MapSheetsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/months/{month}/sheets").RequireAuthorization().WithTags("Sheets").WithUserErrors();
        api.MapGet("/{person:int}/{kind}", GetAsync)
            .WithName("GetSheet")
            .WithSummary("Read a KPI sheet")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{person:int}/{kind}", PutAsync)
            .WithName("SaveSheet")
            .WithSummary("Save or submit a KPI sheet")
            .WithDescription("The employee saves their own self-assessment, the supervisor their team's assessments (D16); "
                + "every item needs a level and a whole score inside it (D2, D3); a submitted sheet is locked.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<SheetDto>> GetAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The assessed person's id")] int person, [Description("self or supervisor")] string kind,
        ReadSheet read, Actor actor, CancellationToken ct)
    {
        var (row, sheet) = await read.ExecuteAsync(actor, month, person, ParseKind(kind), ct);
        return TypedResults.Ok(ToDto(row.Month, sheet));
    }

    public static async Task<Ok<SheetDto>> PutAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The assessed person's id")] int person, [Description("self or supervisor")] string kind,
        SaveSheetRequest body, AppDbContext db, SaveSheet save, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var sheetKind = ParseKind(kind);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var items = (body.Items ?? []).Select(i => new SheetItemInput(i.ItemKey, i.LevelIndex, i.Score, i.Comment)).ToList();
        var sheet = await save.ExecuteAsync(actor, row.Id, person, sheetKind, items, body.Comment, body.Submit, body.Version, ct);
        return TypedResults.Ok(ToDto(row.Month, sheet));
    }

    private static SheetKind ParseKind(string kind) =>
        string.Equals(kind, "self", StringComparison.OrdinalIgnoreCase) ? SheetKind.Self
        : string.Equals(kind, "supervisor", StringComparison.OrdinalIgnoreCase) ? SheetKind.Supervisor
        : throw new UserError($"考核表类型“{kind}”无效，应为 self 或 supervisor", $"sheet kind \"{kind}\" is not valid; expected self or supervisor");

    private static SheetDto ToDto(string month, Sheet sheet) => new(
        month,
        sheet.PersonId,
        sheet.Kind == SheetKind.Self ? "self" : "supervisor",
        [.. sheet.Items.OrderBy(i => i.Id).Select(i => new SheetItemDto(i.ItemKey, i.LevelIndex, i.Score, i.Comment))],
        sheet.Comment,
        sheet.SubmittedAt,
        sheet.SubmittedBy,
        sheet.UpdatedAt,
        sheet.Version);
}
