using System.Buffers.Binary;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// Reads just enough of a font file to tell whether PDFsharp 6.2 can embed it for Chinese text: one face of
/// TrueType outlines (not a .ttc collection, not CFF/OTF) whose character map has every character asked for.
/// </summary>
public static class TrueTypeCheck
{
    /// <summary>Characters every printed form uses (title, headers, signature lines): a font lacking one will not do.</summary>
    public const string Sample = "客服考核表岗位名称姓名月份参考分数自评部门主管总评签名日期经理确认工资条";

    /// <summary>Null when the file will do, else why not (Chinese, English).</summary>
    public static (string Zh, string En)? Problem(string path, string sample = Sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        try
        {
            using var file = File.OpenRead(path);
            var head = Read(file, 0, 12);
            var kind = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (kind == 0x74746366)
            {
                return ("是字体集合（.ttc），PDFsharp 只能嵌入单一字形的 TrueType 字体（.ttf）", "is a font collection (.ttc); PDFsharp embeds only single-face TrueType fonts (.ttf)");
            }

            if (kind == 0x4F54544F)
            {
                return ("是 CFF 轮廓的 OpenType 字体（.otf），PDFsharp 只能嵌入 TrueType 轮廓的字体", "is an OpenType font with CFF outlines (.otf); PDFsharp embeds only TrueType outlines");
            }

            if (kind is not (0x00010000 or 0x74727565))
            {
                return ("不是 TrueType 字体文件", "is not a TrueType font file");
            }

            int count = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(4));
            var records = Read(file, 12, 16 * count);
            long cmap = -1, cmapLength = 0;
            var glyf = false;
            for (var i = 0; i < count; i++)
            {
                var r = records.AsSpan(16 * i, 16);
                var tag = System.Text.Encoding.ASCII.GetString(r[..4]);
                if (tag == "glyf")
                {
                    glyf = true;
                }
                else if (tag == "cmap")
                {
                    cmap = BinaryPrimitives.ReadUInt32BigEndian(r[8..]);
                    cmapLength = BinaryPrimitives.ReadUInt32BigEndian(r[12..]);
                }
            }

            if (!glyf || cmap < 0 || cmapLength is < 4 or > 16 * 1024 * 1024)
            {
                return ("缺少 TrueType 字形表或字符映射表", "has no TrueType glyph table or character map");
            }

            var map = Read(file, cmap, (int)cmapLength);
            var missing = sample.Where(c => !Maps(map, c)).Distinct().ToArray();
            return missing.Length == 0 ? null
                : ($"没有中文字形（缺“{new string(missing.Take(5).ToArray())}”等）", $"has no Chinese glyphs (lacks \"{new string(missing.Take(5).ToArray())}\" and others)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or EndOfStreamException)
        {
            return ($"无法读取（{e.Message}）", $"cannot be read ({e.Message})");
        }
    }

    private static byte[] Read(FileStream file, long offset, int length)
    {
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>True when a Unicode subtable (format 4 or 12) maps <paramref name="c"/> to a glyph.</summary>
    private static bool Maps(byte[] cmap, char c)
    {
        int tables = BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(2));
        for (var i = 0; i < tables; i++)
        {
            var rec = 4 + (8 * i);
            if (rec + 8 > cmap.Length)
            {
                return false;
            }

            int platform = BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(rec));
            int encoding = BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(rec + 2));
            var at = (int)BinaryPrimitives.ReadUInt32BigEndian(cmap.AsSpan(rec + 4));
            var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
            if (!unicode || at + 4 > cmap.Length)
            {
                continue;
            }

            int format = BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(at));
            if ((format == 4 && Format4(cmap, at, c)) || (format == 12 && Format12(cmap, at, c)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Format4(byte[] t, int at, char c)
    {
        var segments = BinaryPrimitives.ReadUInt16BigEndian(t.AsSpan(at + 6)) / 2;
        var ends = at + 14;
        var starts = ends + (2 * segments) + 2;
        var deltas = starts + (2 * segments);
        var offsets = deltas + (2 * segments);
        for (var s = 0; s < segments; s++)
        {
            int end = BinaryPrimitives.ReadUInt16BigEndian(t.AsSpan(ends + (2 * s)));
            if (end < c)
            {
                continue;
            }

            int start = BinaryPrimitives.ReadUInt16BigEndian(t.AsSpan(starts + (2 * s)));
            if (start > c)
            {
                return false;
            }

            int delta = BinaryPrimitives.ReadInt16BigEndian(t.AsSpan(deltas + (2 * s)));
            int offset = BinaryPrimitives.ReadUInt16BigEndian(t.AsSpan(offsets + (2 * s)));
            if (offset == 0)
            {
                return ((c + delta) & 0xFFFF) != 0;
            }

            var glyphAt = offsets + (2 * s) + offset + (2 * (c - start));
            return glyphAt + 2 <= t.Length && BinaryPrimitives.ReadUInt16BigEndian(t.AsSpan(glyphAt)) != 0;
        }

        return false;
    }

    private static bool Format12(byte[] t, int at, char c)
    {
        var groups = BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(at + 12));
        for (var g = 0L; g < groups; g++)
        {
            var rec = at + 16 + (int)(12 * g);
            if (rec + 12 > t.Length)
            {
                return false;
            }

            var start = BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(rec));
            var end = BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(rec + 4));
            if (c >= start && c <= end)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(t.AsSpan(rec + 8)) + (c - start) != 0;
            }
        }

        return false;
    }
}
