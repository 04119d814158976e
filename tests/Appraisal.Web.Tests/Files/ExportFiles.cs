using System.IO.Compression;
using System.Net;
using System.Text;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace Appraisal.Web.Tests.Files;

/// <summary>Downloads an export and reads it back: xlsx with MiniExcel (and its raw XML), CSV with Sylvan's parser.</summary>
internal static class ExportFiles
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task<byte[]> DownloadAsync(this HttpClient client, string url, string contentType)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return bytes;
    }

    /// <summary>Row 1 of the sheet: the title, in A1.</summary>
    public static string Title(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        var first = (IDictionary<string, object?>)MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).First();
        return (string)first["A"]!;
    }

    /// <summary>The rows under the header (row 2), keyed by header; totals and footer rows included.</summary>
    public static List<IDictionary<string, object?>> Rows(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.Query(stream, useHeaderRow: true, startCell: "A2", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
    }

    /// <summary>Every row as column letter → value, the title and header included.</summary>
    public static List<IDictionary<string, object?>> Cells(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
    }

    /// <summary>The worksheet's XML as written.</summary>
    public static string SheetXml(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        return reader.ReadToEnd();
    }

    public static string StylesXml(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The CSV's header and records, after checking the UTF-8 byte-order mark.</summary>
    public static (string[] Header, List<string[]> Records) Csv(byte[] csv)
    {
        Assert.True(csv.Length >= 3 && csv[0] == 0xEF && csv[1] == 0xBB && csv[2] == 0xBF, "UTF-8 with BOM");
        using var text = new StreamReader(new MemoryStream(csv), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        using var reader = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return (header, records);
    }

    public static decimal Number(object? cell) => cell switch
    {
        double d => (decimal)d,
        decimal m => m,
        int i => i,
        long l => l,
        _ => throw new Xunit.Sdk.XunitException($"expected a number cell, got {cell?.GetType().Name ?? "empty"}: {cell}"),
    };
}
