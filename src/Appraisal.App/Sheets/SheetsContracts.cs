using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Sheets;

public sealed record SheetItemDto(
    string ItemKey,
    [property: Description("Index of the level chosen in the policy's item (D2); -1 on a save: the level that holds the score, the upper one at a shared end point")] int LevelIndex,
    [property: Description("Whole points inside the level's range (D3)")] int Score,
    string? Comment);

public sealed record SheetDto(
    string Month,
    int PersonId,
    [property: Description("self or supervisor")] string Kind,
    List<SheetItemDto> Items,
    string? Comment,
    DateTime? SubmittedAt,
    string? SubmittedBy,
    DateTime UpdatedAt,
    [property: Description("Concurrency version to send back when saving")] int Version);

public sealed record SaveSheetRequest(
    List<SheetItemDto> Items,
    string? Comment,
    [property: Description("True submits and locks the sheet; it must then be complete")] bool Submit,
    [property: Description("The sheet's Version as last read; null for a new sheet")] int? Version);
