using System.Globalization;
using System.Text;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Files;
using Appraisal.Web.Files;
using static Appraisal.Web.Tests.Files.RawXlsx;

namespace Appraisal.Web.Tests.Files;

/// <summary>The file-reading layer on every form it understands and every file it refuses (issue 8 §1).</summary>
public sealed class ReaderTests
{
    private static readonly ImportLayout Sales = ImportLayout.For(ImportKind.Sales, DefaultPolicy.Instance);

    [Theory]
    [InlineData("12345.6", "12345.6")]
    [InlineData(" 12345.60 ", "12345.60")]
    [InlineData("12,345.60", "12345.60")]
    [InlineData("１２，３４５．６０", "12345.60")]
    [InlineData("¥12,345", "12345")]
    [InlineData("￥ 12345", "12345")]
    [InlineData("12345元", "12345")]
    [InlineData("'12345", "12345")]
    [InlineData("-50", "-50")]
    [InlineData("－５０", "-50")]
    [InlineData("(50)", "-50")]
    [InlineData("\u00A012\u3000", "12")]
    public void Numbers_are_read_as_people_write_them(string text, string expected)
    {
        Assert.True(CellText.TryNumber(text, out var value), text);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData(",12")]
    [InlineData("1.2.3")]
    [InlineData("(-5)")]
    public void Text_that_is_no_number_is_not_one(string text) => Assert.False(CellText.TryNumber(text, out _));

    [Fact]
    public void A_number_cell_is_read_exactly_as_Excel_shows_it()
    {
        Assert.True(CellText.TryNumber(92500.51d, out var v));
        Assert.Equal(92500.51m, v);
        Assert.True(CellText.TryWhole(3d, out var w));
        Assert.Equal(3, w);
        Assert.False(CellText.TryWhole("3.5", out _));
        Assert.True(CellText.TryWhole("３", out w));
        Assert.Equal(3, w);
    }

    [Theory]
    [InlineData("2025-01-15")]
    [InlineData("2025/1/15")]
    [InlineData("2025.1.15")]
    [InlineData("2025年1月15日")]
    [InlineData("20250115")]
    [InlineData("45672")]
    [InlineData("２０２５－０１－１５")]
    [InlineData("2025-01-15 00:00:00")]
    public void Dates_are_read_in_every_form(string text)
    {
        Assert.True(CellText.TryDate(text, out var d), text);
        Assert.Equal(new DateOnly(2025, 1, 15), d);
    }

    [Fact]
    public void Date_cells_and_serials_are_dates()
    {
        Assert.True(CellText.TryDate(new DateTime(2025, 1, 15), out var d));
        Assert.Equal(new DateOnly(2025, 1, 15), d);
        Assert.True(CellText.TryDate(45672d, out d));
        Assert.Equal(new DateOnly(2025, 1, 15), d);
        Assert.False(CellText.TryDate("2025-02-30", out _));
        Assert.False(CellText.TryDate(45672.5d, out _));
    }

    [Theory]
    [InlineData("2026-01")]
    [InlineData("2026/1")]
    [InlineData("2026年1月")]
    [InlineData("202601")]
    [InlineData("2026-01-01")]
    public void Months_are_read_in_every_form(string text)
    {
        Assert.True(CellText.TryMonth(text, out var m), text);
        Assert.Equal(new YearMonth(2026, 1), m);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_letters_are_Excels(int index, string letters)
    {
        Assert.Equal(letters, CellText.ColumnLetter(index));
        Assert.Equal(index, CellText.ColumnIndex(letters));
    }

    [Fact]
    public void Percentages_are_fractions() =>
        Assert.True(CellText.TryPercent("12.5％", out var f) && f == 0.125m);

    public static TheoryData<string, byte[]> Csvs()
    {
        const string text = "工号,姓名,销售计划,实际销售额\r\nE001,张伟,\"80,000\",92500.5\r\n";
        return new()
        {
            { "UTF-8 with BOM", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] },
            { "UTF-8 without BOM", Encoding.UTF8.GetBytes(text) },
            { "GB18030", TableReader.Gb18030.GetBytes(text) },
            { "LF line ends", Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal)) },
        };
    }

    [Theory]
    [MemberData(nameof(Csvs))]
    public void A_csv_is_read_in_each_encoding(string name, byte[] bytes)
    {
        var table = TableReader.Read(bytes, "sales.csv", Sales.SheetNames);
        var rows = ReadRows(table);
        var row = Assert.Single(rows);
        Assert.Equal("张伟", row.Text("name"));
        Assert.Equal(80000m, row.Amount("salesPlan"));
        Assert.Equal(92500.5m, row.Amount("salesActual"));
        Assert.NotNull(name);
    }

    [Fact]
    public void Pasted_text_from_Excel_is_tab_separated()
    {
        var rows = ReadRows(TableReader.ReadPasted("工号\t姓名\t销售计划\t实际销售额\nE001\t张伟\t80,000\t\"92500.5\"\n\n"));
        Assert.Equal(92500.5m, Assert.Single(rows).Amount("salesActual"));
    }

    [Fact]
    public void English_headers_are_accepted() =>
        Assert.Equal(1m, Assert.Single(ReadRows(TableReader.ReadPasted("Employee no\tName\tSales plan\tActual sales\nE001\t张伟\t1\t2"))).Amount("salesPlan"));

    [Fact]
    public void A_workbook_with_a_title_row_merged_headers_formulas_text_numbers_and_dates_is_read()
    {
        var sheet = string.Concat(
            Row(1, S("A1", "2026年1月 销售数据")),
            Row(2, S("A2", "工号"), S("B2", "姓名"), S("C2", "销售额"), S("E2", "备注")),
            Row(3, S("C3", "计划"), S("D3", "实际")),
            Row(4, S("A4", "E001"), S("B4", "张伟 "), S("C4", "８０，０００"), F("D4", "C4*1.15", "92000"), D("E4", 45672)),
            Row(5, S("A5", "E002"), S("B5", "王芳"), N("C5", "70000"), S("D5", "¥71,000.50")));
        var bytes = Build(("Sheet0", "", null), ("销售", sheet, "<mergeCell ref=\"A1:E1\"/><mergeCell ref=\"A2:A3\"/><mergeCell ref=\"B2:B3\"/><mergeCell ref=\"C2:D2\"/>"));
        var table = TableReader.Read(bytes, "sales.xlsx", Sales.SheetNames);
        Assert.Equal("销售", table.Sheet);
        var rows = ReadRows(table);
        Assert.Equal(2, rows.Count);
        Assert.Equal(4, rows[0].Number);
        Assert.Equal("张伟", rows[0].Text("name"));
        Assert.Equal(80000m, rows[0].Amount("salesPlan"));
        Assert.Equal(92000m, rows[0].Amount("salesActual"));
        Assert.Equal(71000.5m, rows[1].Amount("salesActual"));
    }

    [Fact]
    public void Every_bad_cell_is_named_by_sheet_row_column_and_header()
    {
        var problems = new ImportProblems();
        var rows = ImportSheet.Read(TableReader.ReadPasted("工号\t姓名\t销售计划\t实际销售额\nE001\t张伟\tabc\t\n\t王芳\t-1\t5"), Sales, problems);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["C2", "D2", "A3", "C3"], problems.Select(p => $"{p.Column}{p.Row}"));
        Assert.Equal("abc", problems[0].Value);
        Assert.Equal("销售计划", problems[0].Header);
    }

    [Fact]
    public void A_sheet_without_the_headers_is_refused_naming_what_it_has()
    {
        var problems = new ImportProblems();
        Assert.Empty(ImportSheet.Read(TableReader.ReadPasted("编号\t金额\n1\t2"), Sales, problems));
        Assert.Contains("编号", Assert.Single(problems).Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_column_is_named()
    {
        var problems = new ImportProblems();
        ImportSheet.Read(TableReader.ReadPasted("工号\t销售计划\nE001\t1"), Sales, problems);
        Assert.Contains(problems, p => p.Header == "实际销售额");
    }

    [Fact]
    public void A_workbook_without_the_sheet_is_refused_naming_its_sheets()
    {
        var bytes = Build(("Sheet1", Row(1, S("A1", "工号")), null), ("Sheet2", "", null));
        var e = Assert.Throws<UserError>(() => TableReader.Read(bytes, "sales.xlsx", Sales.SheetNames));
        Assert.Contains("Sheet1", e.Zh, StringComparison.Ordinal);
        Assert.Contains("销售", e.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xlsx_renamed_csv_is_refused() =>
        Assert.Contains(".xlsx", Assert.Throws<UserError>(() => TableReader.Read(Build(("销售", "", null)), "sales.csv", Sales.SheetNames)).Zh, StringComparison.Ordinal);

    [Fact]
    public void A_pdf_renamed_xlsx_is_refused() =>
        Assert.Contains("PDF", Assert.Throws<UserError>(() => TableReader.Read("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"u8.ToArray(), "sales.xlsx", Sales.SheetNames)).Zh, StringComparison.Ordinal);

    [Fact]
    public void A_csv_renamed_xlsx_and_an_old_xls_are_refused()
    {
        Assert.Throws<UserError>(() => TableReader.Read("工号,姓名\r\n"u8.ToArray(), "sales.xlsx", Sales.SheetNames));
        Assert.Contains(".xls", Assert.Throws<UserError>(() => TableReader.Read(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, "sales.xls", Sales.SheetNames)).Zh, StringComparison.Ordinal);
        Assert.Throws<UserError>(() => TableReader.Read(Array.Empty<byte>(), "sales.csv", Sales.SheetNames));
    }

    [Fact]
    public void A_zip_bomb_is_refused_before_it_is_read()
    {
        var bomb = Bomb(450);
        Assert.True(bomb.Length < 2 * 1024 * 1024, $"{bomb.Length} bytes");
        var e = Assert.Throws<UserError>(() => TableReader.Read(bomb, "sales.xlsx", Sales.SheetNames));
        Assert.Equal(413, e.Status);
    }

    [Fact]
    public void A_csv_of_100001_rows_is_refused()
    {
        var sb = new StringBuilder("工号,姓名,销售计划,实际销售额\n");
        for (var i = 0; i < 100_001; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"E{i:D6},n,1,2\n");
        }

        var e = Assert.Throws<UserError>(() => ReadRows(TableReader.Read(Encoding.UTF8.GetBytes(sb.ToString()), "big.csv", Sales.SheetNames)));
        Assert.Equal(413, e.Status);
        Assert.Contains("100,000", e.En, StringComparison.Ordinal);
    }

    [Fact]
    public void The_templates_read_back_as_their_example_row()
    {
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var layout = ImportLayout.For(kind, DefaultPolicy.Instance);
            foreach (var (bytes, name) in new[] { (ImportTemplates.Xlsx(layout), "t.xlsx"), (ImportTemplates.Csv(layout), "t.csv") })
            {
                var problems = new ImportProblems();
                var rows = ImportSheet.Read(TableReader.Read(bytes, name, layout.SheetNames), layout, problems);
                Assert.True(problems.Count == 0, $"{kind} {name}: {string.Join("; ", problems.Select(p => $"{p.Where} {p.Header} {p.Value}: {p.En}"))}");
                Assert.Single(rows);
            }
        }
    }

    private static List<ImportRow> ReadRows(SourceTable table)
    {
        var problems = new ImportProblems();
        var rows = ImportSheet.Read(table, Sales, problems);
        Assert.True(problems.Count == 0, string.Join("; ", problems.Select(p => $"{p.Where}: {p.En}")));
        return rows;
    }
}
