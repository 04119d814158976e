using System.ComponentModel;
using Appraisal.App.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraisal.App.Audit;

/// <summary>One value a change replaced, with the field's label.</summary>
public sealed record AuditChangeDto(string Field, string FieldZh, string FieldEn, string? Old, string? New);

/// <summary>One audit entry (D25). <c>at</c> is UTC with its offset; <c>action</c> is the key, <c>actionZh</c>/<c>actionEn</c> its label.</summary>
public sealed record AuditEntryDto(
    long Id,
    DateTimeOffset At,
    [property: Description("The account that acted")] string User,
    [property: Description("The name of that account's person, if any")] string? UserName,
    string Action,
    string ActionZh,
    string ActionEn,
    string? Month,
    int? PersonId,
    string? EmployeeNo,
    string? PersonName,
    string? Detail,
    List<AuditChangeDto> Changes);

/// <summary>A page of the audit log, newest first; pass <c>next</c> as <c>before</c> for the older entries (null at the end).</summary>
public sealed record AuditPageDto(List<AuditEntryDto> Entries, string? Next);
