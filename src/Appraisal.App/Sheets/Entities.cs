using Appraisal.App.Months;
using Appraisal.App.People;

namespace Appraisal.App.Sheets;

/// <summary>Who filled a sheet: the employee (自评) or the supervisor (部门主管).</summary>
public enum SheetKind
{
    Self = 0,
    Supervisor = 1,
}

/// <summary>A KPI sheet for one person and month, by one assessor (D16).</summary>
public sealed class Sheet : IVersioned
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public AppraisalMonth? Month { get; set; }

    /// <summary>The person assessed.</summary>
    public int PersonId { get; set; }

    public Person? Person { get; set; }

    public SheetKind Kind { get; set; }

    public List<SheetItem> Items { get; set; } = [];

    public string? Comment { get; set; }

    /// <summary>Null while a draft.</summary>
    public DateTime? SubmittedAt { get; set; }

    public string? SubmittedBy { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>One item of a sheet: the level chosen and the whole-point score inside it (D2, D3).</summary>
public sealed class SheetItem
{
    public int Id { get; set; }

    public int SheetId { get; set; }

    public required string ItemKey { get; set; }

    public int LevelIndex { get; set; }

    public int Score { get; set; }

    public string? Comment { get; set; }
}

/// <summary>The supervisor's feedback talk (绩效面谈, 第七条, D16), recorded before confirmation.</summary>
public sealed class FeedbackTalk : IVersioned
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public DateOnly Date { get; set; }

    public required string Notes { get; set; }

    public required string By { get; set; }

    public int Version { get; set; }
}
