using System.Globalization;
using System.Text;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// CSV for payroll systems (RFC 4180): UTF-8 with a byte-order mark (so that Chinese Excel opens it as UTF-8),
/// CRLF line ends, one header row and one row per record, no title, totals or signature lines (a program reading
/// the file would take them for records; they are in the xlsx). Numbers are invariant (<c>1234.50</c>, no thousands
/// separators), money with two decimals, days <c>yyyy-MM-dd</c>, instants ISO 8601 in UTC with offset
/// (<c>2026-04-05T08:30:00+00:00</c>). A field is quoted when it holds a comma, quote, CR or LF, quotes doubled.
/// <para>
/// Formula injection: a text value beginning with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR would be run by
/// Excel as a formula when the file is opened, so such a value is written with a leading apostrophe
/// (<c>'=HYPERLINK(…)</c>), the OWASP recommendation: Excel shows the text, and a program sees the apostrophe and
/// the original text after it. Numbers (a negative amount) are numbers, not text, and are written as they are.
/// </para>
/// </summary>
public static class CsvTableWriter
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static async Task WriteAsync(ExportTable table, Stream output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 64 * 1024, leaveOpen: true);
        var line = new StringBuilder(512);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            Field(line, i, table.Columns[i].Header);
        }

        await WriteLineAsync(writer, line, ct);
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                Field(line, i, Format(table.Columns[i].Kind, row[i]));
            }

            await WriteLineAsync(writer, line, ct);
        }

        await writer.FlushAsync(ct);
    }

    /// <summary>A value as CSV text (before quoting); text is neutralised against formula injection.</summary>
    public static string Format(CellKind kind, object? value) => value switch
    {
        null => string.Empty,
        string s => Neutralise(s),
        decimal d when kind == CellKind.Money => d.ToString("0.00", CultureInfo.InvariantCulture),
        decimal d when kind == CellKind.Score => d.ToString("0.0", CultureInfo.InvariantCulture),
        decimal d => (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        _ => Neutralise(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>True when Excel would read <paramref name="text"/> as a formula (or a DDE command) if it were a cell.</summary>
    public static bool LooksLikeFormula(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary>The text with a leading apostrophe when it would run as a formula.</summary>
    public static string Neutralise(string text) => LooksLikeFormula(text) ? "'" + text : text;

    private static void Field(StringBuilder line, int index, string text)
    {
        if (index > 0)
        {
            line.Append(',');
        }

        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(text);
            return;
        }

        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static async Task WriteLineAsync(StreamWriter writer, StringBuilder line, CancellationToken ct)
    {
        line.Append("\r\n");
        await writer.WriteAsync(line, ct);
        line.Clear();
    }
}
