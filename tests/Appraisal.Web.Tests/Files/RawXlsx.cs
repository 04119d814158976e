using System.IO.Compression;
using System.Text;

namespace Appraisal.Web.Tests.Files;

/// <summary>
/// Workbooks written part by part, for what a writer library does not produce: merged cells, formulas with their
/// cached values, numbers stored as text, date cells, several sheets, and zip bombs.
/// </summary>
internal static class RawXlsx
{
    /// <summary>A workbook of the given sheets (name, the rows of its sheetData, its mergeCells), with a date style (s="1").</summary>
    public static byte[] Build(params (string Name, string Rows, string? Merges)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string path, string text)
            {
                using var w = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                w.Write(text);
            }

            var overrides = string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
            Entry("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" + overrides + "</Types>");
            Entry("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Entry("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + string.Concat(sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>")) + "</sheets></workbook>");
            Entry("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))
                + $"<Relationship Id=\"rId{sheets.Length + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>");
            Entry("xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                + "<fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs>"
                + "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
            for (var i = 0; i < sheets.Length; i++)
            {
                var (_, rows, merges) = sheets[i];
                Entry($"xl/worksheets/sheet{i + 1}.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                    + rows + "</sheetData>" + (merges is null ? string.Empty : $"<mergeCells>{merges}</mergeCells>") + "</worksheet>");
            }
        }

        return stream.ToArray();
    }

    /// <summary>A text cell (inline string).</summary>
    public static string S(string r, string text) => $"<c r=\"{r}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(text)}</t></is></c>";

    /// <summary>A number cell.</summary>
    public static string N(string r, string value) => $"<c r=\"{r}\"><v>{value}</v></c>";

    /// <summary>A date cell: the serial with the date style.</summary>
    public static string D(string r, int serial) => $"<c r=\"{r}\" s=\"1\"><v>{serial}</v></c>";

    /// <summary>A formula with the value Excel last computed for it.</summary>
    public static string F(string r, string formula, string cached) => $"<c r=\"{r}\"><f>{formula}</f><v>{cached}</v></c>";

    public static string Row(int n, params string[] cells) => $"<row r=\"{n}\">{string.Concat(cells)}</row>";

    /// <summary>
    /// A zip bomb: a small archive whose sheet unpacks to <paramref name="megabytes"/> MB of spaces (a valid-looking
    /// workbook until the sheet is unpacked).
    /// </summary>
    public static byte[] Bomb(int megabytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var ok = Build(("销售", Row(1, S("A1", "工号")), null));
            using (var source = new ZipArchive(new MemoryStream(ok), ZipArchiveMode.Read))
            {
                foreach (var e in source.Entries.Where(e => !e.FullName.Contains("sheet1", StringComparison.Ordinal)))
                {
                    using var from = e.Open();
                    using var to = zip.CreateEntry(e.FullName).Open();
                    from.CopyTo(to);
                }
            }

            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            sheet.Write("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"u8);
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < megabytes; i++)
            {
                sheet.Write(spaces);
            }

            sheet.Write("</sheetData></worksheet>"u8);
        }

        return stream.ToArray();
    }
}
