namespace Appraisal.App.Files.Exports;

/// <summary>How a column's values are written: the cell type and, in xlsx, the number format.</summary>
public enum CellKind
{
    /// <summary>Text, always written as text (xlsx: a string cell; CSV: neutralised when Excel would read it as a formula).</summary>
    Text,

    /// <summary>A whole number (int).</summary>
    WholeNumber,

    /// <summary>A score with one decimal (decimal).</summary>
    Score,

    /// <summary>Money: a decimal shown with two decimals and thousands separators (#,##0.00).</summary>
    Money,

    /// <summary>A rate such as a commission rate: a decimal fraction, shown as a percentage in xlsx.</summary>
    Rate,

    /// <summary>A calendar day (DateOnly).</summary>
    Date,

    /// <summary>An instant in UTC (DateTime of kind UTC): xlsx a date-time cell, CSV ISO 8601 with offset.</summary>
    Instant,
}

/// <summary>One column: its header (Chinese, then English), kind and width in characters.</summary>
public sealed record ExportColumn(string Header, CellKind Kind, double Width);

/// <summary>
/// A file's content independent of its format: a title line (company, month, policy version, confirmation), the
/// columns, one row per record (values matching the columns' kinds, null for an empty cell), an optional totals
/// row and the lines under it (signatures). Rows are values, not formulas: nothing in a file is computed by Excel.
/// </summary>
public sealed class ExportTable
{
    public required string Title { get; init; }

    /// <summary>The worksheet's name (at most 31 characters, none of []:*?/\).</summary>
    public required string SheetName { get; init; }

    /// <summary>The download's name without extension, ASCII only.</summary>
    public required string FileName { get; init; }

    public required IReadOnlyList<ExportColumn> Columns { get; init; }

    public required IReadOnlyList<object?[]> Rows { get; init; }

    /// <summary>The totals row (same columns; the label in the first text column), written after the rows in xlsx.</summary>
    public object?[]? Totals { get; init; }

    /// <summary>Lines under the table in xlsx, e.g. the signature lines of a pay run.</summary>
    public IReadOnlyList<string> Footer { get; init; } = [];

    /// <summary>Writes the table in <paramref name="format"/> to <paramref name="output"/>.</summary>
    public Task WriteAsync(ExportFormat format, Stream output, CancellationToken ct = default) => format switch
    {
        ExportFormat.Csv => CsvTableWriter.WriteAsync(this, output, ct),
        _ => XlsxTableWriter.WriteAsync(this, output, ct),
    };
}
