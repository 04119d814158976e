using System.Globalization;
using System.Text.Json;

namespace Appraisal.Cli.Tests;

/// <summary>
/// Compares JSON by value: objects by their set of properties, arrays element by element, numbers
/// as decimals (so 1500 equals 1500.00, as money is compared numerically).
/// </summary>
internal static class JsonAssert
{
    public static void Equivalent(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        var difference = FirstDifference(expected.RootElement, actual.RootElement, "$");
        Assert.True(difference is null, $"{difference}\n--- actual ---\n{actualJson}");
    }

    private static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {expected.GetRawText()}, got {actual.ValueKind} {actual.GetRawText()}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToList();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToList();
                if (actualNames.Count != actualNames.Distinct(StringComparer.Ordinal).Count())
                {
                    return $"{path}: a property appears twice: {string.Join(", ", actualNames)}";
                }

                var missing = expectedNames.Except(actualNames, StringComparer.Ordinal).ToList();
                var extra = actualNames.Except(expectedNames, StringComparer.Ordinal).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    return $"{path}: missing properties [{string.Join(", ", missing)}], unexpected properties [{string.Join(", ", extra)}]";
                }

                foreach (var property in expected.EnumerateObject())
                {
                    if (FirstDifference(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToList();
                var a = actual.EnumerateArray().ToList();
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} elements, got {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")) is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.String:
                return string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal)
                    ? null
                    : $"{path}: expected \"{expected.GetString()}\", got \"{actual.GetString()}\"";
            default:
                return null;
        }
    }
}
