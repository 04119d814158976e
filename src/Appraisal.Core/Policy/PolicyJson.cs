using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appraisal.Core.Policy;

/// <summary>
/// Reads and writes the policy document (D18) as JSON. Reading is strict: unknown properties,
/// missing properties and wrong types are problems, and a document that parses is then checked
/// by <see cref="PolicyValidator"/>.
/// </summary>
public static class PolicyJson
{
    /// <summary>Parses and validates a policy; throws <see cref="ProblemsException"/> listing every problem.</summary>
    public static PolicyDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        PolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, Context.PolicyDocument);
        }
        catch (JsonException ex)
        {
            // The serializer stops at the first problem; a document that is JSON at all gets every structural one.
            if (StructuralProblems(utf8Json) is { Count: > 0 } all)
            {
                throw new ProblemsException(all);
            }

            var where = ex.Path is null ? string.Empty : $"{ex.Path}";
            // The path is given as where, the 1-based position here; the message's own 0-based ones are cut off.
            var message = Results.Json.JsonProblems.WithoutPosition(ex.Message);
            var position = ex.LineNumber is { } line ? $" (行 line {line + 1}, 列 column {(ex.BytePositionInLine ?? 0) + 1})" : string.Empty;
            throw new ProblemsException([new Problem(
                where,
                $"策略文件不是有效的策略 JSON{position}：{message}",
                $"not a valid policy JSON document{position}: {message}")]);
        }

        if (document is null)
        {
            throw new ProblemsException([new Problem(string.Empty, "策略文件为空（null）", "the policy document is null")]);
        }

        var problems = PolicyValidator.Validate(document);
        return problems.Count == 0 ? document : throw new ProblemsException(problems);
    }

    private static List<Problem> StructuralProblems(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            return PolicyShape.Problems(document.RootElement, Context.PolicyDocument);
        }
        catch (JsonException)
        {
            // Not JSON: the serializer's message, with its line and column, says where.
            return [];
        }
    }

    /// <summary>Parses and validates a policy from a string.</summary>
    public static PolicyDocument Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Writes the policy as indented UTF-8 JSON with readable Chinese.</summary>
    public static string Serialize(PolicyDocument policy) =>
        JsonSerializer.Serialize(policy, Context.PolicyDocument);

    /// <summary>Writes the policy as indented UTF-8 JSON bytes.</summary>
    public static byte[] SerializeToUtf8Bytes(PolicyDocument policy) =>
        JsonSerializer.SerializeToUtf8Bytes(policy, Context.PolicyDocument);

    // The source-generated context carries the options; the encoder cannot be set by attribute.
    private static readonly PolicyJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
        // The policy is read by people in Chinese; \uXXXX escapes would make it unreadable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    });
}

[JsonSerializable(typeof(PolicyDocument))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
