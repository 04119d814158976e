using System.Text;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Appraisal.App.Files;

/// <summary>
/// The template of each import: a workbook with the kind's sheet (Chinese headers, an example row with typed cells:
/// numbers as numbers, dates as dates) and a sheet of instructions, or the same as a CSV in UTF-8 with its byte
/// order mark (so that Excel shows the Chinese).
/// </summary>
public static class ImportTemplates
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    public static byte[] Xlsx(ImportLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var example = new Dictionary<string, object?>();
        foreach (var c in layout.Columns)
        {
            example[c.Zh] = c.Example is string { Length: 0 } ? null : c.Example;
        }

        var help = layout.Columns.Select(c => new Dictionary<string, object?>
        {
            ["列 Column"] = c.Zh,
            ["英文表头 English header"] = c.En,
            ["必填 Required"] = c.Required ? "是 yes" : "否 no",
            ["填写 Expected"] = $"{c.Expected.Zh} / {c.Expected.En}" + (c.Note is { } note ? $"。{note.Zh} / {note.En}" : string.Empty),
        }).ToList();
        var sheets = new Dictionary<string, object>
        {
            [layout.SheetZh] = new List<Dictionary<string, object?>> { example },
            ["说明"] = help,
        };
        var config = new OpenXmlConfiguration
        {
            DynamicColumns = [.. layout.Columns.Select(c => new DynamicExcelColumn(c.Zh)
            {
                Format = c.Kind switch { CellKind.Date => "yyyy-mm-dd", CellKind.Money or CellKind.SignedMoney => "0.00", _ => null },
                Width = Math.Max(10, c.Zh.Length * 3),
            })],
        };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets, excelType: ExcelType.XLSX, configuration: config);
        return stream.ToArray();
    }

    public static byte[] Csv(ImportLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sb = new StringBuilder();
        sb.AppendJoin(',', layout.Columns.Select(c => Quote(c.Zh))).Append("\r\n");
        sb.AppendJoin(',', layout.Columns.Select(c => Quote(ImportLayout.ExampleText(c.Example)))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
