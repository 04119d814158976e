using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Appraisal.Web.Tests.Hostile;

/// <summary>
/// One case of the hostile-input corpus (<c>Hostile/Corpus/*.case</c>): who sends it, the request as text, and
/// what must come back. The file is a small HTTP-like text:
/// <code>
/// # a comment: what the case tries
/// as: hr                          (a demo user, or "anonymous")
/// expect: 400                     (the status, or several: 400 404)
/// names: rows[0].salesPlan        (text the message must contain; any number of lines)
/// hides: 王芳                      (text that must not be in the answer, e.g. another person's name; any number)
/// form: /Months/Facts?month={month}   (a page form: GET this page for its token first)
///
/// PUT /api/months/{month}/facts
/// Content-Type: application/json
///
/// {"rows": …}
/// </code>
/// A form body is one <c>name=value</c> per line, sent URL-encoded (so values may hold any character).
/// Placeholders are filled from the test database: <c>{month}</c> (the open month), <c>{prev}</c> (the last
/// confirmed one), <c>{id:E001}</c> (a person id), <c>{team:客服二组}</c> (a team id), <c>{repeat:TEXT:N}</c> (TEXT N times),
/// <c>{nest:N}</c> (N nested JSON arrays).
/// </summary>
public sealed partial record HostileCase(
    string Name,
    string Description,
    string User,
    IReadOnlyList<int> Expect,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Hides,
    string? FormPage,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body)
{
    public bool IsApi => Url.StartsWith("/api/", StringComparison.Ordinal);

    public bool IsForm => FormPage is not null;

    /// <summary>The corpus folder next to the test assembly.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Hostile", "Corpus");

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Folder, "*.case").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static HostileCase Load(string name)
    {
        var lines = File.ReadAllText(Path.Combine(Folder, name + ".case"), Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var i = 0;
        var description = new StringBuilder();
        string user = "anonymous";
        var expect = new List<int>();
        var names = new List<string>();
        var hides = new List<string>();
        string? form = null;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                description.AppendLine(line.TrimStart('#').Trim());
                continue;
            }

            var (key, value) = Split(line, name);
            switch (key)
            {
                case "as": user = value; break;
                case "expect": expect.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))); break;
                case "names": names.Add(value); break;
                case "hides": hides.Add(value); break;
                case "form": form = value; break;
                default: throw new InvalidDataException($"{name}: unknown field \"{key}\"");
            }
        }

        for (; i < lines.Length && lines[i].Length == 0; i++)
        {
        }

        var request = lines[i++].Split(' ', 2);
        var headers = new List<KeyValuePair<string, string>>();
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var (key, value) = Split(lines[i], name);
            headers.Add(new(key, value));
        }

        var body = string.Join('\n', lines.Skip(i + 1)).TrimEnd('\n');
        if (expect.Count == 0)
        {
            throw new InvalidDataException($"{name}: no expect line");
        }

        return new HostileCase(name, description.ToString().Trim(), user, expect, names, hides, form, request[0], request[1], headers, body);
    }

    /// <summary>Fills the placeholders of <paramref name="text"/>.</summary>
    public static string Fill(string text, Func<string, string> personId, Func<string, string> teamId, string month, string previous) =>
        Placeholder().Replace(text, m =>
        {
            var parts = m.Groups[1].Value.Split(':');
            return parts[0] switch
            {
                "month" => month,
                "prev" => previous,
                "id" => personId(parts[1]),
                "team" => teamId(parts[1]),
                "repeat" => string.Concat(Enumerable.Repeat(parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture))),
                "nest" => new string('[', int.Parse(parts[1], CultureInfo.InvariantCulture)) + new string(']', int.Parse(parts[1], CultureInfo.InvariantCulture)),
                _ => m.Value,
            };
        });

    /// <summary>The form body's fields, one <c>name=value</c> per line.</summary>
    public static List<KeyValuePair<string, string>> FormFields(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : string.Empty))
            .ToList();

    public override string ToString() => Name;

    private static (string Key, string Value) Split(string line, string name)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new InvalidDataException($"{name}: \"{line}\" is not key: value");
        }

        return (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    [GeneratedRegex(@"\{((?:month|prev|id|team|repeat|nest)(?::[^{}]*)?)\}")]
    private static partial Regex Placeholder();
}
