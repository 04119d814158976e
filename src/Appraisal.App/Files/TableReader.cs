using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Appraisal.App.Files;

/// <summary>One row of a file as read: its 1-based row number in the sheet and its cells by 0-based column.</summary>
public sealed record SourceRow(int Number, object?[] Cells)
{
    public object? this[int column] => column < Cells.Length ? Cells[column] : null;

    public bool IsBlank => Cells.All(c => CellText.Normalise(c) is null);
}

/// <summary>A sheet of a workbook, a CSV file or pasted text: its name (the file's name for a CSV) and its rows.</summary>
public sealed record SourceTable(string Sheet, IReadOnlyList<SourceRow> Rows);

/// <summary>What a file turned out to be, by its bytes.</summary>
public enum SourceFormat
{
    Xlsx,
    Csv,
    Pasted,
}

/// <summary>
/// Reads an uploaded file or pasted text into rows of cells, without any HTTP: a workbook (.xlsx, by MiniExcel: the
/// sheet by its name, merged cells filled with their value, formulas as the values Excel last computed, dates as
/// dates), a CSV in UTF-8 with or without its byte order mark or in GB18030 (what Chinese Excel writes), or text
/// pasted from Excel (tab-separated). Refuses, before reading anything, a file that is not what it says it is (the
/// bytes decide, not the name), a workbook whose contents unpack to more than <see cref="MaxUnpackedBytes"/> or
/// at a ratio no real workbook has (a zip bomb), and a file of more than <see cref="MaxRows"/> rows.
/// </summary>
public static class TableReader
{
    /// <summary>The most data rows an import takes.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The largest file accepted (a 100 000-row workbook is a few MB).</summary>
    public const int MaxFileBytes = 20 * 1024 * 1024;

    /// <summary>The most a workbook may unpack to in all.</summary>
    public const long MaxUnpackedBytes = 400L * 1024 * 1024;

    /// <summary>Above this ratio of unpacked to packed size, a large entry is a bomb: spreadsheet XML packs about 5–30 times.</summary>
    public const int MaxRatio = 200;

    /// <summary>Rows read beyond the limit before giving up (header and title rows above the data).</summary>
    private const int HeaderAllowance = 20;

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>GB18030, which Chinese Excel's "CSV" writes (code page 54936, from the framework's code pages provider).</summary>
    public static Encoding Gb18030 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    /// <summary>Reads <paramref name="content"/> of the file <paramref name="fileName"/>; a workbook's sheet is the first of <paramref name="sheetNames"/> it has.</summary>
    public static SourceTable Read(ReadOnlyMemory<byte> content, string fileName, IReadOnlyList<string> sheetNames)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sheetNames);
        var format = Detect(content.Span, fileName);
        return format == SourceFormat.Xlsx ? ReadXlsx(content, sheetNames) : ReadText(Decode(content.Span), Path.GetFileName(fileName), ',');
    }

    /// <summary>Reads text pasted from Excel: tab-separated, one row a line (a comma-separated paste is read too).</summary>
    public static SourceTable ReadPasted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var firstLine = text.AsSpan()[..Math.Max(0, text.IndexOf('\n', StringComparison.Ordinal) is var n and >= 0 ? n : text.Length)];
        var delimiter = firstLine.Contains('\t') || !firstLine.Contains(',') ? '\t' : ',';
        return ReadText(text, L("粘贴的内容", "pasted text"), delimiter);
    }

    /// <summary>What the bytes are; a refusal names the file and says what would be accepted.</summary>
    public static SourceFormat Detect(ReadOnlySpan<byte> bytes, string fileName)
    {
        var name = Path.GetFileName(fileName);
        var ext = Path.GetExtension(fileName).ToUpperInvariant();
        if (bytes.Length == 0)
        {
            throw Refuse($"文件“{name}”是空的", $"the file \"{name}\" is empty");
        }

        if (bytes.Length > MaxFileBytes)
        {
            throw Refuse($"文件“{name}”超过 {MaxFileBytes / 1024 / 1024} MB", $"the file \"{name}\" is larger than {MaxFileBytes / 1024 / 1024} MB", 413);
        }

        var what = Sniff(bytes);
        return (what, ext) switch
        {
            ("zip", ".XLSX") => SourceFormat.Xlsx,
            ("zip", ".CSV") => throw Refuse($"文件“{name}”的名称是 .csv，内容却是 Excel 工作簿：请把文件名改为 .xlsx，或在 Excel 中“另存为 CSV”",
                $"the file \"{name}\" is named .csv but is an Excel workbook: rename it to .xlsx, or use Excel's Save As CSV"),
            ("text", ".CSV" or ".TXT" or ".TSV") => SourceFormat.Csv,
            ("text", ".XLSX") => throw Refuse($"文件“{name}”的名称是 .xlsx，内容却是文本：请把文件名改为 .csv，或在 Excel 中另存为 .xlsx 工作簿",
                $"the file \"{name}\" is named .xlsx but holds text: rename it to .csv, or save it as an .xlsx workbook in Excel"),
            ("xls", _) => throw Refuse($"文件“{name}”是旧版 Excel（.xls）格式：请在 Excel 中另存为 .xlsx 工作簿后再导入",
                $"the file \"{name}\" is an old Excel (.xls) workbook: save it as an .xlsx workbook in Excel, then import it"),
            _ => throw Refuse($"文件“{name}”不是 Excel 工作簿（.xlsx）或 CSV 文件{Describe(what)}：请下载模板填写后上传",
                $"the file \"{name}\" is not an Excel workbook (.xlsx) or a CSV file{DescribeEn(what)}: download the template, fill it in and upload that"),
        };
    }

    private static string Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Zip))
        {
            return "zip";
        }

        if (bytes.StartsWith("%PDF"u8))
        {
            return "pdf";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return "xls";
        }

        // Text has no NUL bytes and few control characters (UTF-16 would have NULs: Excel's "Unicode text" is refused with a clear word).
        var head = bytes[..Math.Min(bytes.Length, 8192)];
        foreach (var b in head)
        {
            if (b == 0 || (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0C)))
            {
                return "binary";
            }
        }

        return "text";
    }

    private static string Describe(string what) => what == "pdf" ? "（而是 PDF 文档）" : string.Empty;

    private static string DescribeEn(string what) => what == "pdf" ? " (it is a PDF document)" : string.Empty;

    /// <summary>The text of a CSV: a UTF-8 byte order mark means UTF-8; else valid UTF-8 is UTF-8; anything else is GB18030.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Gb18030.GetString(bytes);
        }
    }

    /// <summary>CSV (RFC 4180: quoted fields with doubled quotes, commas and line breaks inside quotes) or tab-separated text.</summary>
    private static SourceTable ReadText(string text, string name, char delimiter)
    {
        var rows = new List<SourceRow>();
        var cells = new List<object?>();
        var cell = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        var number = 1;
        var i = 0;

        void EndCell()
        {
            var value = cell.ToString();
            cells.Add(value.Length == 0 && !wasQuoted ? null : value);
            cell.Clear();
            wasQuoted = false;
        }

        void EndRow()
        {
            EndCell();
            rows.Add(new SourceRow(number, [.. cells]));
            cells.Clear();
            number++;
            if (rows.Count > MaxRows + HeaderAllowance)
            {
                throw TooMany(name);
            }
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == delimiter)
            {
                EndCell();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRow();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || cells.Count > 0 || wasQuoted)
        {
            EndRow();
        }

        return new SourceTable(name, rows);
    }

    private static SourceTable ReadXlsx(ReadOnlyMemory<byte> content, IReadOnlyList<string> sheetNames)
    {
        CheckUnpackedSize(content);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        List<string> names;
        try
        {
            names = MiniExcel.GetSheetNames(stream);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or KeyNotFoundException or NullReferenceException)
        {
            throw Unreadable(ex);
        }

        var sheet = sheetNames.FirstOrDefault(wanted => names.Any(n => Same(n, wanted)));
        if (sheet is null)
        {
            if (names.Count != 1)
            {
                throw Refuse($"工作簿中没有名为“{sheetNames[0]}”的工作表（现有：{string.Join("、", names)}）：请使用模板中的工作表，或把数据所在的工作表改名为“{sheetNames[0]}”",
                    $"the workbook has no sheet named \"{sheetNames[0]}\" (it has: {string.Join(", ", names)}): use the template's sheet, or rename the sheet with the data to \"{sheetNames[0]}\"");
            }

            // A workbook of one sheet under another name ("Sheet1"): its headers decide whether it is the right one.
            sheet = names[0];
        }
        else
        {
            sheet = names.First(n => Same(n, sheet));
        }

        stream.Position = 0;
        var rows = new List<SourceRow>();
        try
        {
            var config = new OpenXmlConfiguration { FillMergedCells = true };
            foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX, configuration: config))
            {
                var cells = new object?[row.Count];
                var any = false;
                foreach (var (column, value) in row)
                {
                    var index = CellText.ColumnIndex(column);
                    if (index >= 0 && index < cells.Length)
                    {
                        cells[index] = value;
                        any |= value is not null;
                    }
                }

                rows.Add(new SourceRow(rows.Count + 1, any ? cells : []));
                if (rows.Count > MaxRows + HeaderAllowance)
                {
                    throw TooMany(sheet);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or InvalidCastException or FormatException or OverflowException)
        {
            throw Unreadable(ex);
        }

        // Trailing rows Excel keeps as formatted but empty are not rows of data.
        while (rows.Count > 0 && rows[^1].IsBlank)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new SourceTable(sheet, rows);
    }

    /// <summary>
    /// A zip bomb is refused before MiniExcel opens it: every entry is unpacked here, counting, and reading stops at
    /// the first byte over the limits — the sizes an archive declares are not trusted.
    /// </summary>
    private static void CheckUnpackedSize(ReadOnlyMemory<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > MaxUnpackedBytes || (entry.Length > 1024 * 1024 && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio))
                {
                    throw Bomb();
                }

                using var data = entry.Open();
                long size = 0;
                int n;
                while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    size += n;
                    total += n;
                    if (total > MaxUnpackedBytes || (size > 1024 * 1024 && size / Math.Max(1, entry.CompressedLength) > MaxRatio))
                    {
                        throw Bomb();
                    }
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw Unreadable(ex);
        }
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static UserError Bomb() =>
        Refuse($"工作簿解压后超过 {MaxUnpackedBytes / 1024 / 1024} MB 或压缩比异常（可能是“压缩炸弹”），未读取：请上传正常的 Excel 文件",
            $"the workbook unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MB or at an abnormal ratio (a zip bomb); it was not read: upload an ordinary Excel file", 413);

    private static UserError TooMany(string name) =>
        Refuse($"“{name}”超过 {MaxRows:N0} 行，未读取：请分成几个文件导入", $"\"{name}\" has more than {MaxRows:N0} rows; it was not read: split it into several files", 413);

    private static UserError Unreadable(Exception ex) =>
        Refuse("无法读取该 Excel 工作簿（文件已损坏或不是 .xlsx 格式）：请在 Excel 中打开并另存为 .xlsx 后再试",
            $"the Excel workbook cannot be read (damaged or not .xlsx: {ex.GetType().Name}): open it in Excel, save it as .xlsx and try again");

    private static string L(string zh, string en) => Localization.L.T(zh, en);

    internal static UserError Refuse(string zh, string en, int status = 400) => new(zh, en, status);
}
