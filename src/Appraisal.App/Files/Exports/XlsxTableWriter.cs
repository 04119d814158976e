using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// The styled xlsx of an <see cref="ExportTable"/>, streamed with SpreadCheetah (rows go to the output as they are
/// written; nothing of the workbook is held in memory): row 1 the title (merged over the columns), row 2 the header,
/// both frozen; typed cells (numbers as numbers, money <c>#,##0.00</c>, days and instants as dates); the widths set;
/// the totals row in bold; the footer lines (signatures) under it.
/// <para>
/// Text never runs: every text value is written as a string cell (SpreadCheetah writes inline strings), never as a
/// formula, so <c>=HYPERLINK(…)</c>, <c>+1</c>, <c>-1</c> or <c>@SUM(1)</c> in a name or reason is shown as typed.
/// The writer creates no formula cell at all (the totals are computed here, not by Excel).
/// </para>
/// </summary>
public static class XlsxTableWriter
{
    /// <summary>The rows above the data: the title and the header (both frozen).</summary>
    public const int HeaderRows = 2;

    public static async Task WriteAsync(ExportTable table, Stream output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var stream = new AsyncOutputStream(output);
        await WriteBookAsync(table, stream, ct);
        await stream.FlushAsync(ct);
    }

    private static async Task WriteBookAsync(ExportTable table, Stream output, CancellationToken ct)
    {
        await using var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        var options = new WorksheetOptions { FrozenRows = HeaderRows };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            options.Column(i + 1).Width = table.Columns[i].Width;
        }

        await book.StartWorksheetAsync(table.SheetName, options, ct);
        var styles = new Styles(book);
        var width = table.Columns.Count;
        var cells = new Cell[width];

        await book.AddRowAsync([new Cell(table.Title, styles.Title)], ct);
        if (width > 1)
        {
            book.MergeCells($"A1:{SpreadsheetUtility.GetColumnName(width)}1");
        }

        for (var i = 0; i < width; i++)
        {
            cells[i] = new Cell(table.Columns[i].Header, styles.Header);
        }

        await book.AddRowAsync(cells, ct);
        foreach (var row in table.Rows)
        {
            Fill(cells, table.Columns, row, styles, bold: false);
            await book.AddRowAsync(cells, ct);
        }

        if (table.Totals is { } totals)
        {
            Fill(cells, table.Columns, totals, styles, bold: true);
            await book.AddRowAsync(cells, ct);
        }

        if (table.Footer.Count > 0)
        {
            await book.AddRowAsync(Array.Empty<Cell>(), ct);
            foreach (var line in table.Footer)
            {
                await book.AddRowAsync([new Cell(line, styles.Footer)], ct);
            }
        }

        await book.FinishAsync(ct);
    }

    private static void Fill(Cell[] cells, IReadOnlyList<ExportColumn> columns, object?[] row, Styles styles, bool bold)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var kind = columns[i].Kind;
            var style = styles.For(kind, bold);
            cells[i] = row[i] switch
            {
                null => new Cell(string.Empty, style),
                string s => new Cell(s, style),
                decimal d => new Cell(d, style),
                int n => new Cell(n, style),
                DateOnly day => new Cell(day.ToDateTime(TimeOnly.MinValue), style),
                DateTime at => new Cell(at, style),
                var other => new Cell(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture), style),
            };
        }
    }

    /// <summary>The workbook's styles, one per cell kind and weight.</summary>
    private sealed class Styles
    {
        private readonly StyleId[] plain;
        private readonly StyleId[] bold;

        public Styles(Spreadsheet book)
        {
            Title = book.AddStyle(new Style { Font = { Bold = true, Size = 13 } });
            Header = book.AddStyle(new Style { Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xE8, 0xEC, 0xF2) }, Alignment = { WrapText = true, Vertical = VerticalAlignment.Center } });
            Footer = book.AddStyle(new Style());
            var kinds = Enum.GetValues<CellKind>();
            plain = [.. kinds.Select(k => book.AddStyle(Of(k, false)))];
            bold = [.. kinds.Select(k => book.AddStyle(Of(k, true)))];
        }

        public StyleId Title { get; }

        public StyleId Header { get; }

        public StyleId Footer { get; }

        public StyleId For(CellKind kind, bool isBold) => (isBold ? bold : plain)[(int)kind];

        private static Style Of(CellKind kind, bool isBold)
        {
            var style = new Style { Font = { Bold = isBold } };
            style.Format = kind switch
            {
                CellKind.WholeNumber => NumberFormat.Custom("0"),
                CellKind.Score => NumberFormat.Custom("0.0"),
                CellKind.Money => NumberFormat.Custom("#,##0.00"),
                CellKind.Rate => NumberFormat.Custom("0.00%"),
                CellKind.Date => NumberFormat.Custom("yyyy-mm-dd"),
                CellKind.Instant => NumberFormat.Custom("yyyy-mm-dd hh:mm:ss"),
                _ => NumberFormat.Standard(StandardNumberFormat.Text),
            };
            return style;
        }
    }
}
