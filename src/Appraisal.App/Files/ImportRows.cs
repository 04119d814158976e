using System.Globalization;

namespace Appraisal.App.Files;

/// <summary>
/// One problem of an imported file, where it is — sheet, row, column letter and the column's header as the file
/// has it — with the value found and what was expected, in both languages. A problem of the file as a whole has
/// row 0 and no column.
/// </summary>
public sealed record ImportProblem(string Sheet, int Row, string Column, string Header, string? Value, string Zh, string En)
{
    /// <summary>"销售!C5（销售计划）" — where, as Excel names a cell, for the list and the API.</summary>
    public string Where => Row == 0 ? Sheet : $"{Sheet}!{Column}{Row.ToString(CultureInfo.InvariantCulture)}";

    public string Text => Localization.L.T(Zh, En);
}

/// <summary>Every problem found in a file, collected so that all of them are told at once.</summary>
public sealed class ImportProblems : List<ImportProblem>
{
    /// <summary>The refusal listing every problem: nothing is imported while there is one.</summary>
    public UserError ToError(string fileName)
    {
        var shown = this.Take(20).ToList();
        var more = Count > shown.Count ? Count - shown.Count : 0;
        var zh = $"“{fileName}”中有 {Count} 处问题，未导入任何数据；请改正后重新上传：" + string.Join("；", shown.Select(p => $"{p.Where} {p.Header}：{p.Zh}"))
            + (more > 0 ? $"；……另有 {more} 处" : string.Empty);
        var en = $"\"{fileName}\" has {Count} problem(s); nothing was imported; correct them and upload again: " + string.Join("; ", shown.Select(p => $"{p.Where} {p.Header}: {p.En}"))
            + (more > 0 ? $"; … and {more} more" : string.Empty);
        return new UserError(zh, en) { Errors = this.Select(p => new ApiError(p.Where, p.Zh, p.En)).ToList() };
    }
}

/// <summary>A cell of a data row, with the column it belongs to.</summary>
public sealed record ImportCell(ImportColumn Column, int Index, string Header, object? Raw, string? Text);

/// <summary>
/// A data row of an import: its cells by column key, typed by their column's kind. A cell that does not read is
/// reported where it is and its value is null; a kind's own checks add problems through <see cref="Problem"/>.
/// </summary>
public sealed class ImportRow(string sheet, int number, Dictionary<string, ImportCell> cells, ImportProblems problems)
{
    private readonly Dictionary<string, object?> values = [];

    public string Sheet => sheet;

    public int Number => number;

    /// <summary>The row's cell texts by key, for comparing two files of the same content.</summary>
    public IEnumerable<string?> Texts => cells.OrderBy(c => c.Value.Index).Select(c => c.Value.Text);

    public string? Text(string key) => cells.TryGetValue(key, out var c) ? c.Text : null;

    public bool Has(string key) => Text(key) is not null;

    /// <summary>Whether the file has the column of <paramref name="key"/> at all (an optional column left out changes nothing).</summary>
    public bool HasColumn(string key) => cells.ContainsKey(key);

    /// <summary>Whether the cell of <paramref name="key"/> holds something that did not read as its column's kind (already a problem).</summary>
    public bool Unread(string key) => Has(key) && (!values.TryGetValue(key, out var v) || v is null);

    public decimal? Amount(string key) => values.TryGetValue(key, out var v) ? v as decimal? : null;

    public int? Whole(string key) => values.TryGetValue(key, out var v) ? v as int? : null;

    public DateOnly? Date(string key) => values.TryGetValue(key, out var v) ? v as DateOnly? : null;

    public Core.Months.YearMonth? Month(string key) => values.TryGetValue(key, out var v) ? v as Core.Months.YearMonth? : null;

    /// <summary>Adds a problem at the cell of <paramref name="key"/> (its column when the row has no such cell).</summary>
    public void Problem(string key, (string Zh, string En) what)
    {
        if (cells.TryGetValue(key, out var c))
        {
            problems.Add(new ImportProblem(sheet, number, CellText.ColumnLetter(c.Index), c.Header, c.Text, what.Zh, what.En));
        }
        else
        {
            problems.Add(new ImportProblem(sheet, number, string.Empty, key, null, what.Zh, what.En));
        }
    }

    /// <summary>Types every cell; a required one that is empty or one that does not read as its kind is a problem.</summary>
    internal void Read()
    {
        foreach (var (key, cell) in cells)
        {
            var column = cell.Column;
            if (cell.Text is null)
            {
                if (column.Required)
                {
                    Problem(key, ("必填，不能为空", "required; it is empty"));
                }

                continue;
            }

            object? value = column.Kind switch
            {
                CellKind.Money or CellKind.SignedMoney => CellText.TryNumber(cell.Raw, out var m) && (column.Kind == CellKind.SignedMoney || m >= 0) ? m : null,
                CellKind.Whole => CellText.TryWhole(cell.Raw, out var w) ? w : null,
                CellKind.Date => CellText.TryDate(cell.Raw, out var d) ? d : null,
                CellKind.Month => CellText.TryMonth(cell.Raw, out var ym) ? ym : null,
                _ => cell.Text,
            };
            if (value is null)
            {
                var expected = column.Expected;
                Problem(key, ($"应为{expected.Zh}", $"expected {expected.En}"));
            }

            values[key] = value;
        }
    }
}

/// <summary>Finds the header row of a sheet (after any title rows) and reads the data rows below it.</summary>
public static class ImportSheet
{
    /// <summary>How far down the header row may be (title rows, a merged banner, notes).</summary>
    private const int HeaderSearchRows = 10;

    /// <summary>The data rows of <paramref name="table"/> by <paramref name="layout"/>; file-level problems (headers) are added and no rows returned.</summary>
    public static List<ImportRow> Read(SourceTable table, ImportLayout layout, ImportProblems problems)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(problems);
        var (headerAt, headerRows, columns) = FindHeader(table, layout);
        if (headerAt < 0)
        {
            var found = table.Rows.Take(HeaderSearchRows).FirstOrDefault(r => !r.IsBlank)?.Cells.Select(CellText.Normalise).OfType<string>().ToList() ?? [];
            problems.Add(new ImportProblem(table.Sheet, 0, string.Empty, string.Empty, string.Join(", ", found),
                $"找不到表头：第一行应有“{string.Join("”“", layout.Columns.Select(c => c.Zh))}”等列（英文表头也可），现有：{(found.Count == 0 ? "（空）" : string.Join("、", found))}；请使用“{Localization.L.T(ImportLayout.Title(layout.Kind).Zh, ImportLayout.Title(layout.Kind).En)}”的模板",
                $"no header row: the first row should have the columns {string.Join(", ", layout.Columns.Select(c => c.En))} (Chinese headers too); found: {(found.Count == 0 ? "(none)" : string.Join(", ", found))}; use the template for {ImportLayout.Title(layout.Kind).En}"));
            return [];
        }

        var header = table.Rows[headerAt];
        var missing = layout.Columns.Where(c => c.Required && !columns.ContainsValue(c)).ToList();
        foreach (var c in missing)
        {
            problems.Add(new ImportProblem(table.Sheet, header.Number, string.Empty, c.Zh, null,
                $"缺少必需的列“{c.Zh}”（或“{c.En}”）", $"the required column \"{c.En}\" (or \"{c.Zh}\") is missing"));
        }

        foreach (var twice in columns.GroupBy(c => c.Value.Key).Where(g => g.Count() > 1))
        {
            foreach (var (index, column) in twice.Skip(1))
            {
                problems.Add(new ImportProblem(table.Sheet, header.Number, CellText.ColumnLetter(index), column.Zh, CellText.Normalise(header[index]),
                    $"“{column.Zh}”列出现了两次（另见 {CellText.ColumnLetter(twice.First().Key)} 列）", $"the column \"{column.En}\" appears twice (see also column {CellText.ColumnLetter(twice.First().Key)})"));
            }
        }

        if (problems.Count > 0)
        {
            return [];
        }

        var rows = new List<ImportRow>();
        var headerTexts = columns.ToDictionary(c => c.Key, c => HeaderText(table, headerAt, headerRows, c.Key) ?? c.Value.Zh);
        for (var i = headerAt + headerRows; i < table.Rows.Count; i++)
        {
            var source = table.Rows[i];
            if (source.IsBlank)
            {
                continue;
            }

            var cells = new Dictionary<string, ImportCell>(columns.Count);
            foreach (var (index, column) in columns)
            {
                var raw = source[index];
                cells[column.Key] = new ImportCell(column, index, headerTexts[index], raw, CellText.Normalise(raw));
            }

            var row = new ImportRow(table.Sheet, source.Number, cells, problems);
            row.Read();
            rows.Add(row);
        }

        if (rows.Count > TableReader.MaxRows)
        {
            throw TableReader.Refuse($"“{table.Sheet}”有 {rows.Count:N0} 行数据，超过 {TableReader.MaxRows:N0} 行：请分成几个文件导入",
                $"\"{table.Sheet}\" has {rows.Count:N0} data rows, more than {TableReader.MaxRows:N0}: split it into several files", 413);
        }

        if (rows.Count == 0)
        {
            problems.Add(new ImportProblem(table.Sheet, header.Number + headerRows, string.Empty, string.Empty, null,
                "表头下没有数据行", "there are no data rows under the header"));
        }

        return rows;
    }

    private static string? HeaderText(SourceTable table, int at, int count, int column)
    {
        var texts = Enumerable.Range(at, count).Select(r => CellText.Normalise(table.Rows[r][column])).OfType<string>().Distinct().ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }

    /// <summary>
    /// The header row: the first of the top rows in which the employee number's column (or the month's) is found.
    /// A header over two rows — a merged group cell above its columns ("销售额" over "计划" and "实际") or cells merged
    /// down over both rows — is read as one: each column is named by its lower text, its upper text or both together.
    /// </summary>
    private static (int At, int Rows, Dictionary<int, ImportColumn> Columns) FindHeader(SourceTable table, ImportLayout layout)
    {
        var last = Math.Min(table.Rows.Count, HeaderSearchRows);
        for (var r = 0; r < last; r++)
        {
            var one = Columns(table.Rows[r], null, layout);
            if (!one.Values.Any(c => c.Key == ImportLayout.EmployeeNo))
            {
                continue;
            }

            if (r + 1 < table.Rows.Count)
            {
                var two = Columns(table.Rows[r], table.Rows[r + 1], layout);
                var below = Columns(table.Rows[r + 1], null, layout);
                if (two.Count > one.Count && below.Count > 0)
                {
                    return (r, 2, two);
                }
            }

            return (r, 1, one);
        }

        return (-1, 0, []);
    }

    private static Dictionary<int, ImportColumn> Columns(SourceRow upper, SourceRow? lower, ImportLayout layout)
    {
        var result = new Dictionary<int, ImportColumn>();
        var width = Math.Max(upper.Cells.Length, lower?.Cells.Length ?? 0);
        for (var c = 0; c < width; c++)
        {
            var top = CellText.Normalise(upper[c]);
            var bottom = lower is null ? null : CellText.Normalise(lower[c]);
            var column = (bottom is not null ? layout.Match(bottom) ?? layout.Match(top + bottom) : null) ?? layout.Match(top);
            if (column is not null)
            {
                result[c] = column;
            }
        }

        return result;
    }
}
