using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appraisal.Core.Policy;

/// <summary>
/// Every structural problem of a policy document at once — unknown, repeated or missing properties, nulls where a
/// value is required, values of the wrong kind — found by walking the document beside the serializer's own metadata
/// of the policy types, so that the two cannot disagree about names, nullability or what is required. The
/// serializer stops at the first problem; someone editing a policy by hand (D18) should see them all (D3's rule
/// for input, applied to the policy).
/// </summary>
internal static class PolicyShape
{
    /// <summary>The structural problems of <paramref name="document"/> read as <paramref name="root"/>; empty when it has none.</summary>
    public static List<Problem> Problems(JsonElement document, JsonTypeInfo root)
    {
        var problems = new List<Problem>();
        Check(document, root, "$", problems);
        return problems;
    }

    private static void Check(JsonElement value, JsonTypeInfo info, string path, List<Problem> problems)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(value, info, path, problems);
                break;
            case JsonTypeInfoKind.Enumerable when info.ElementType is { } elementType:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add(WrongKind(path, "数组", "an array", value));
                    return;
                }

                var element = info.Options.GetTypeInfo(elementType);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var at = $"{path}[{index++}]";
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        problems.Add(new Problem(at, "不能为 null", "must not be null"));
                    }
                    else
                    {
                        Check(item, element, at, problems);
                    }
                }

                break;
            default:
                CheckValue(value, type, path, problems);
                break;
        }
    }

    private static void CheckObject(JsonElement value, JsonTypeInfo info, string path, List<Problem> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(WrongKind(path, "对象", "an object", value));
            return;
        }

        // Only what can be read in: get-only properties are written, never read.
        var settable = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                problems.Add(new Problem(at, $"字段 \"{property.Name}\" 重复", $"property \"{property.Name}\" appears twice"));
                continue;
            }

            if (!settable.TryGetValue(property.Name, out var known))
            {
                if (!info.Properties.Any(p => p.Name == property.Name))
                {
                    problems.Add(new Problem(at, $"未知字段 \"{property.Name}\"", $"unknown property \"{property.Name}\""));
                }

                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                var nullable = Nullable.GetUnderlyingType(known.PropertyType) is not null
                    || (!known.PropertyType.IsValueType && (known.AssociatedParameter?.IsNullable ?? known.IsSetNullable));
                if (!nullable)
                {
                    problems.Add(new Problem(at, "不能为 null", "must not be null"));
                }

                continue;
            }

            Check(property.Value, info.Options.GetTypeInfo(known.PropertyType), at, problems);
        }

        foreach (var property in settable.Values)
        {
            // A constructor parameter is required unless it has a default (RespectRequiredConstructorParameters); an
            // init-only property is one too for the serializer, required only when it is marked so.
            var required = property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false, IsMemberInitializer: false };
            if (required && !seen.Contains(property.Name))
            {
                problems.Add(new Problem($"{path}.{property.Name}", $"缺少必填字段 \"{property.Name}\"", $"the required property \"{property.Name}\" is missing"));
            }
        }
    }

    private static void CheckValue(JsonElement value, Type type, string path, List<Problem> problems)
    {
        if (type == typeof(int) || type == typeof(long))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
            {
                problems.Add(WrongKind(path, "整数", "a whole number", value));
            }
        }
        else if (type == typeof(decimal))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out _))
            {
                problems.Add(WrongKind(path, "数字", "a number", value));
            }
        }
        else if (type == typeof(string))
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                problems.Add(WrongKind(path, "文本", "text", value));
            }
        }
        else if (type == typeof(bool))
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add(WrongKind(path, "true 或 false", "true or false", value));
            }
        }

        // Other kinds of value do not occur in the policy; the serializer itself still judges them.
    }

    private static Problem WrongKind(string path, string zh, string en, JsonElement actual)
    {
        var text = actual.ValueKind switch
        {
            JsonValueKind.Object => "{…}",
            JsonValueKind.Array => "[…]",
            _ => actual.GetRawText(),
        };
        return new Problem(path, $"应为{zh}，实际为 {text}", $"expected {en}, got {text}");
    }
}
