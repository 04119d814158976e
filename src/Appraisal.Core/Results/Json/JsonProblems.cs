using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// What the JSON readers' own failures mean for the person who wrote the input: a bilingual problem saying where the
/// document stops being JSON, or that it is not UTF-8 (D3, evaluate contract).
/// </summary>
internal static class JsonProblems
{
    /// <summary>The problem <paramref name="error"/> of reading JSON stands for; null for any other exception.</summary>
    public static ProblemsException? Of(Exception error) => error switch
    {
        JsonException json => NotJson(json),
        InvalidOperationException { InnerException: DecoderFallbackException } => NotUtf8(),
        _ => null,
    };

    /// <summary>
    /// The reader checks the UTF-8 of a text only when it is decoded, which for a property name (an unknown field or
    /// item) is in the middle of the checks; the place is not known there, only that the input is not UTF-8.
    /// </summary>
    public static ProblemsException NotUtf8() =>
        new([new Problem(string.Empty, "输入含有不是有效 UTF-8 的字节，请以 UTF-8 编码保存", "the input contains bytes that are not valid UTF-8; save it as UTF-8")]);

    /// <summary>The input is not JSON from the line and column of <paramref name="ex"/> on, counted from 1.</summary>
    public static ProblemsException NotJson(JsonException ex)
    {
        var line = (ex.LineNumber ?? 0) + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        return new ProblemsException([new Problem(
            string.Create(CultureInfo.InvariantCulture, $"行 line {line}, 列 column {column}"),
            "输入不是有效的 JSON",
            $"the input is not valid JSON: {WithoutPosition(ex.Message)}")]);
    }

    /// <summary>
    /// System.Text.Json ends its messages with " LineNumber: 2 | BytePositionInLine: 25.", counted
    /// from 0; beside our 1-based "line 3, column 26" that read as a contradiction, so it is cut off.
    /// </summary>
    public static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return cut < 0 ? message : message[..cut];
    }
}
