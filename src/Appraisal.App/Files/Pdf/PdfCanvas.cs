using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// Text and table drawing for the printed forms over PDFsharp: fonts of one family, wrapping that breaks Chinese
/// text between any two characters (PDFsharp's own formatter breaks only at spaces) and Latin text between words,
/// and character widths measured once per font and document (a month's forms draw the same texts many times).
/// </summary>
public sealed class PdfCanvas
{
    /// <summary>A4 in points.</summary>
    public const double PageWidth = 595.28;

    public const double PageHeight = 841.89;

    public static readonly XPen Thin = new(XColors.Black, 0.5);

    public static readonly XPen Hair = new(XColor.FromArgb(255, 140, 140, 140), 0.3);

    private readonly string family;
    private readonly Dictionary<(double Size, bool Bold), XFont> fonts = [];
    private readonly Dictionary<(XFont Font, char C), double> widths = [];
    private XGraphics? gfx;

    public PdfCanvas(string family) => this.family = family;

    public XGraphics Graphics => gfx ?? throw new InvalidOperationException("no page");

    public XFont Font(double size, bool bold = false)
    {
        if (!fonts.TryGetValue((size, bold), out var font))
        {
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            font = new XFont(family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, options);
            fonts[(size, bold)] = font;
        }

        return font;
    }

    /// <summary>Starts a new A4 page of <paramref name="document"/> and draws on it from now on.</summary>
    public void NewPage(PdfDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        gfx?.Dispose();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        gfx = XGraphics.FromPdfPage(page);
    }

    /// <summary>Ends drawing on the current page.</summary>
    public void EndPage()
    {
        gfx?.Dispose();
        gfx = null;
    }

    public double Width(string text, XFont font)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sum = 0.0;
        foreach (var c in text)
        {
            if (!widths.TryGetValue((font, c), out var w))
            {
                w = Graphics.MeasureString(c.ToString(), font).Width;
                widths[(font, c)] = w;
            }

            sum += w;
        }

        return sum;
    }

    /// <summary>
    /// The lines of <paramref name="text"/> within <paramref name="width"/>: explicit line breaks kept, Chinese
    /// broken anywhere, a Latin word kept whole unless it alone is wider than the line.
    /// </summary>
    public List<string> Wrap(string? text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in (text ?? string.Empty).Split('\n'))
        {
            var line = new StringBuilder();
            var lineWidth = 0.0;
            foreach (var token in Tokens(paragraph))
            {
                var w = Width(token, font);
                if (lineWidth + w > width && line.Length > 0)
                {
                    lines.Add(line.ToString().TrimEnd());
                    line.Clear();
                    lineWidth = 0;
                    if (token == " ")
                    {
                        continue;
                    }
                }

                if (w > width)
                {
                    // A word longer than the line: break it between characters.
                    foreach (var c in token)
                    {
                        var cw = Width(c.ToString(), font);
                        if (lineWidth + cw > width && line.Length > 0)
                        {
                            lines.Add(line.ToString());
                            line.Clear();
                            lineWidth = 0;
                        }

                        line.Append(c);
                        lineWidth += cw;
                    }

                    continue;
                }

                line.Append(token);
                lineWidth += w;
            }

            lines.Add(line.ToString().TrimEnd());
        }

        return lines;
    }

    /// <summary>Draws lines from the top-left corner of a box, each line <paramref name="lineHeight"/> high.</summary>
    public void Lines(IReadOnlyList<string> lines, XFont font, double x, double y, double width, double lineHeight, bool center = false)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            var dx = center ? Math.Max(0, (width - Width(lines[i], font)) / 2) : 0;
            Graphics.DrawString(lines[i], font, XBrushes.Black, new XPoint(x + dx, y + (i * lineHeight) + (font.Size * 0.88)));
        }
    }

    /// <summary>Text wrapped inside a box with padding, vertically centred when it is shorter than the box.</summary>
    public void Cell(string? text, XFont font, double x, double y, double width, double height, double pad, bool center = false)
    {
        ArgumentNullException.ThrowIfNull(font);
        var lineHeight = font.Size * 1.25;
        var lines = Wrap(text, font, width - (2 * pad));
        var top = y + Math.Max(pad, (height - (lines.Count * lineHeight)) / 2);
        Lines(lines, font, x + pad, top, width - (2 * pad), lineHeight, center);
    }

    public void Box(double x, double y, double width, double height, XPen? pen = null) =>
        Graphics.DrawRectangle(pen ?? Thin, x, y, width, height);

    public void Line(double x1, double y1, double x2, double y2, XPen? pen = null) => Graphics.DrawLine(pen ?? Thin, x1, y1, x2, y2);

    public void Shade(double x, double y, double width, double height) =>
        Graphics.DrawRectangle(new XSolidBrush(XColor.FromArgb(255, 238, 238, 238)), x, y, width, height);

    /// <summary>Chinese characters one by one, Latin words with their digits, spaces apart.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                yield return " ";
            }
            else if (c < 0x2E80)
            {
                word.Append(c);
            }
            else
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                yield return c.ToString();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
