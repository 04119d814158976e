namespace Appraisal.App.Files.Exports;

/// <summary>The file formats of the exports: styled xlsx for people, plain CSV for payroll systems.</summary>
public enum ExportFormat
{
    Xlsx,
    Csv,
}

public static class ExportFormats
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary><c>xlsx</c> (also when empty) or <c>csv</c>, case-insensitive; anything else is refused naming the value.</summary>
    public static ExportFormat Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "XLSX" => ExportFormat.Xlsx,
        "CSV" => ExportFormat.Csv,
        _ => throw new UserError($"文件格式“{text}”无效，应为 xlsx 或 csv", $"format \"{text}\" is not valid; expected xlsx or csv"),
    };

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? CsvContentType : XlsxContentType;

    public static string FileName(ExportTable table, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.FileName + (format == ExportFormat.Csv ? ".csv" : ".xlsx");
    }
}
