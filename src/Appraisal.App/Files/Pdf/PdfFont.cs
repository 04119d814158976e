using System.Collections.Concurrent;
using Appraisal.App.Localization;
using PdfSharp.Fonts;

namespace Appraisal.App.Files.Pdf;

/// <summary>
/// The Chinese font the PDFs embed. PDFsharp 6.2 draws no text without a font resolver and embeds only
/// single-face TrueType fonts (.ttc collections and CFF-outline .otf fail), so the font is found once at
/// start: the file named by <c>Pdf:FontFile</c> if set (then only it), else the first .ttf with Chinese
/// glyphs under <c>Pdf:FontDirectories</c> (default <c>/usr/share/fonts</c> and <c>/usr/local/share/fonts</c>;
/// Debian's fonts-arphic-gbsn00lp gives one). When none is found the start logs a warning, the pages say so
/// where their print buttons are, and the PDF endpoints answer 503 with the same words; nothing fails with 500.
/// </summary>
public sealed class PdfFont
{
    public const string FileKey = "Pdf:FontFile";
    public const string DirectoriesKey = "Pdf:FontDirectories";

    private static readonly string[] DefaultDirectories = ["/usr/share/fonts", "/usr/local/share/fonts"];

    private readonly (string Zh, string En)? why;

    public PdfFont(IConfiguration configuration, ILogger<PdfFont> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(logger);
        var configured = configuration[FileKey];
        var directories = configuration[DirectoriesKey] is { } list
            ? list.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : DefaultDirectories;
        (FilePath, why) = Find(configured, directories);
        if (FilePath is not null)
        {
            Family = CjkFontResolver.Instance.Register(FilePath);
            logger.LogInformation("PDF font: {File}", FilePath);
        }
        else
        {
            logger.LogWarning("No Chinese TrueType font for PDFs: {Why}. PDF downloads answer 503 until one is installed (apt-get install fonts-arphic-gbsn00lp) or named in {Key}.", why?.En, FileKey);
        }
    }

    /// <summary>The font file found, or null.</summary>
    public string? FilePath { get; }

    /// <summary>The family name to give <c>XFont</c>, or null when there is no font.</summary>
    public string? Family { get; }

    public bool Available => Family is not null;

    /// <summary>What the pages show where the print buttons are when there is no font (Chinese first).</summary>
    public string MissingText => why is { } w
        ? L.T($"无法生成 PDF：{w.Zh}。请管理员安装中文 TrueType 字体（fonts-arphic-gbsn00lp）或在配置 {FileKey} 中指定 .ttf 文件；仍可使用浏览器的打印功能。",
            $"PDFs cannot be made: {w.En}. Ask the administrator to install a Chinese TrueType font (fonts-arphic-gbsn00lp) or name a .ttf file in {FileKey}; the browser's own print still works.")
        : string.Empty;

    /// <summary>The family to draw with; 503 with <see cref="MissingText"/> when there is no font.</summary>
    public string Require() => Family ?? throw new UserError(
        why is { } w ? $"无法生成 PDF：{w.Zh}。请安装中文 TrueType 字体（fonts-arphic-gbsn00lp）或在配置 {FileKey} 中指定 .ttf 文件" : "无法生成 PDF",
        why is { } v ? $"PDFs cannot be made: {v.En}. Install a Chinese TrueType font (fonts-arphic-gbsn00lp) or name a .ttf file in {FileKey}" : "PDFs cannot be made",
        StatusCodes.Status503ServiceUnavailable);

    /// <summary>The font to use and, when there is none, why (the configured file's problem, or that no directory has one).</summary>
    public static (string? Path, (string Zh, string En)? Why) Find(string? configured, IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                return (null, ($"配置的字体文件 {configured} 不存在", $"the configured font file {configured} does not exist"));
            }

            return TrueTypeCheck.Problem(configured) is { } p
                ? (null, ($"配置的字体文件 {configured} {p.Zh}", $"the configured font file {configured} {p.En}"))
                : (configured, null);
        }

        var searched = directories.Where(Directory.Exists).ToList();
        foreach (var file in searched.SelectMany(d => Directory.EnumerateFiles(d, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal)))
        {
            if (TrueTypeCheck.Problem(file) is null)
            {
                return (file, null);
            }
        }

        var where = string.Join(", ", directories);
        return (null, ($"在 {where} 中没有找到含中文字形的 TrueType 字体（.ttf）", $"no TrueType font (.ttf) with Chinese glyphs was found in {where}"));
    }
}

/// <summary>
/// PDFsharp's one global font resolver (it may be set once per process, before any text is drawn), serving
/// the registered font files by a family name of their own; bold is simulated (the fonts have one face).
/// </summary>
public sealed class CjkFontResolver : IFontResolver
{
    public static readonly CjkFontResolver Instance = new();

    private static readonly Lock Gate = new();

    private readonly ConcurrentDictionary<string, Lazy<byte[]>> faces = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string> families = new(StringComparer.Ordinal);

    private CjkFontResolver()
    {
    }

    /// <summary>The family name for <paramref name="path"/>, installing this resolver on first use.</summary>
    public string Register(string path)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver != this)
            {
                GlobalFontSettings.FontResolver = this;
            }

            if (!families.TryGetValue(path, out var family))
            {
                family = $"AppraisalCjk{families.Count + 1}";
                faces[family] = new Lazy<byte[]>(() => File.ReadAllBytes(path));
                families[path] = family;
            }

            return family;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        faces.ContainsKey(familyName) ? new FontResolverInfo(familyName, bold, italic) : null;

    public byte[]? GetFont(string faceName) => faces.TryGetValue(faceName, out var bytes) ? bytes.Value : null;
}
