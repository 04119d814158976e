using System.Globalization;
using System.Text.RegularExpressions;

namespace Appraisal.App.Policy;

/// <summary>
/// The place of a policy problem (<c>PolicyValidator</c>'s path such as <c>groups[1](attitude).items[2](discipline).levels[0].text</c>)
/// in plain words for the screen: "第 2 个项目组 · 第 3 个考核项目 · 第 1 档 · 文字". The path and its keys stay in the API and the CLI.
/// </summary>
public static partial class PolicyPlace
{
    /// <summary>The place in Chinese and English; empty when the problem is about the whole document.</summary>
    public static (string Zh, string En) Describe(string? where)
    {
        if (string.IsNullOrWhiteSpace(where))
        {
            return (string.Empty, string.Empty);
        }

        var zh = new List<string>();
        var en = new List<string>();
        foreach (Match part in Part().Matches(where))
        {
            var name = part.Groups["name"].Value;
            var n = part.Groups["index"].Success ? int.Parse(part.Groups["index"].Value, CultureInfo.InvariantCulture) + 1 : (int?)null;
            var (partZh, partEn) = (name, n) switch
            {
                ("groups", { } i) => ($"第 {i} 个项目组", $"group {i}"),
                ("items", { } i) => ($"第 {i} 个考核项目", $"item {i}"),
                ("levels", { } i) => ($"第 {i} 档", $"level {i}"),
                ("levels", null) => ("评分档次", "levels"),
                ("grades", { } i) => ($"第 {i} 个等级", $"grade {i}"),
                ("grades", null) => ("等级", "grades"),
                ("tiers", { } i) => ($"第 {i} 个提成档", $"commission tier {i}"),
                ("commission", null) => ("提成", "commission"),
                ("name" or "label", null) => ("名称", "name"),
                ("text", null) => ("文字", "text"),
                ("max", null) => ("满分", "maximum"),
                ("percent", null) => ("占比", "share"),
                ("training", null) => ("培训", "training"),
                ("level", null) => ("岗位级别", "job level"),
                ("promotion", null) => ("晋升", "promotion"),
                ("positionSalary", null) => ("岗位工资", "position salary"),
                ("minScore", null) => ("分数下限", "lower bound"),
                ("rate", null) => ("提成比例", "rate"),
                ("minAbovePlan", null) => ("下限", "lower bound"),
                ("eligibility", null) => ("参评资格", "eligibility"),
                ("process", null) => ("流程", "process"),
                _ => (string.Empty, string.Empty),
            };
            if (partZh.Length > 0)
            {
                zh.Add(partZh);
                en.Add(partEn);
            }
        }

        return (string.Join(" · ", zh), string.Join(" · ", en));
    }

    /// <summary>One step of the path: a name, its index in brackets and its key in parentheses (dropped).</summary>
    [GeneratedRegex(@"(?<name>[A-Za-z]+)(\[(?<index>[0-9]+)\])?(\([^)]*\))?", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
