using System.Collections.Immutable;
using System.Globalization;
using Appraisal.Core;
using Appraisal.Core.Policy;

namespace Appraisal.Web.Pages.Policy;

/// <summary>
/// The common changes HR makes to a draft (D18), as form fields: position salaries and lower bounds of
/// the grades (D6), commission tiers (D8), the bonus (D12), the eligibility window (D14), the appraisal
/// window and appeal period (D16, D17) and the level texts (D2). Everything else goes through the JSON.
/// Values are kept as text so that an unreadable number is reported with where it is, not silently zero.
/// </summary>
public sealed class PolicyForm
{
    public List<string?> Salaries { get; set; } = [];

    public List<string?> MinScores { get; set; } = [];

    /// <summary>Lower bound of each tier as actual minus plan; blank for the first tier (no bound).</summary>
    public List<string?> TierMins { get; set; } = [];

    /// <summary>Rates in percent (1.2 for 1.2 %), as the policy prints them.</summary>
    public List<string?> TierRates { get; set; } = [];

    public string? BonusAmount { get; set; }

    public string? WindowMonths { get; set; }

    public string? MaxAbsentDays { get; set; }

    public string? FromDay { get; set; }

    public string? ToDay { get; set; }

    public string? AppealDays { get; set; }

    /// <summary>Level texts of every item in sheet order, levels flattened.</summary>
    public List<string?> LevelZh { get; set; } = [];

    public List<string?> LevelEn { get; set; } = [];

    public string? Note { get; set; }

    public static PolicyForm From(PolicyDocument policy, string? note)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var inv = CultureInfo.InvariantCulture;
        return new PolicyForm
        {
            Salaries = [.. policy.Grades.Select(g => (string?)g.PositionSalary.ToString(inv))],
            MinScores = [.. policy.Grades.Select(g => (string?)g.MinScore.ToString(inv))],
            TierMins = [.. policy.Commission.Tiers.Select(t => t.MinAbovePlan?.ToString(inv))],
            TierRates = [.. policy.Commission.Tiers.Select(t => (string?)(t.Rate * 100m).ToString("0.####", inv))],
            BonusAmount = policy.Bonus.Amount.ToString(inv),
            WindowMonths = policy.Eligibility.WindowMonths.ToString(inv),
            MaxAbsentDays = policy.Eligibility.MaxAbsentDays.ToString(inv),
            FromDay = policy.Process.AppraisalWindow.FromDay.ToString(inv),
            ToDay = policy.Process.AppraisalWindow.ToDay.ToString(inv),
            AppealDays = policy.Process.AppealDays.ToString(inv),
            LevelZh = [.. policy.Items.SelectMany(i => i.Levels).Select(l => (string?)l.Text.Zh)],
            LevelEn = [.. policy.Items.SelectMany(i => i.Levels).Select(l => l.Text.En)],
            Note = note,
        };
    }

    /// <summary>
    /// <paramref name="policy"/> with this form's values; every field that cannot be read is added to
    /// <paramref name="problems"/> and keeps its old value, so that the validator can still report the rest.
    /// </summary>
    public PolicyDocument Apply(PolicyDocument policy, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(problems);
        var levelCount = policy.Items.Sum(i => i.Levels.Length);
        if (Salaries.Count != policy.Grades.Length || MinScores.Count != policy.Grades.Length
            || TierMins.Count != policy.Commission.Tiers.Length || TierRates.Count != policy.Commission.Tiers.Length
            || LevelZh.Count != levelCount || LevelEn.Count != levelCount)
        {
            // The form was made from another shape of the document (changed through the JSON meanwhile).
            throw UserError.Conflict();
        }

        var grades = policy.Grades.Select((g, i) => g with
        {
            PositionSalary = Decimal(Salaries[i], $"grades[{i}]({g.Key}).positionSalary", g.PositionSalary, problems),
            MinScore = Decimal(MinScores[i], $"grades[{i}]({g.Key}).minScore", g.MinScore, problems),
        }).ToImmutableArray();

        var tiers = policy.Commission.Tiers.Select((t, i) => t with
        {
            MinAbovePlan = string.IsNullOrWhiteSpace(TierMins[i]) ? null : Decimal(TierMins[i], $"commission.tiers[{i}].minAbovePlan", t.MinAbovePlan ?? 0m, problems),
            Rate = Decimal(TierRates[i], $"commission.tiers[{i}].rate", t.Rate * 100m, problems) / 100m,
        }).ToImmutableArray();

        var level = 0;
        var groups = policy.Groups.Select(g => g with
        {
            Items = [.. g.Items.Select(item => item with
            {
                Levels = [.. item.Levels.Select(l =>
                {
                    var zh = LevelZh[level]?.Trim() ?? string.Empty;
                    var en = LevelEn[level]?.Trim();
                    level++;
                    return l with { Text = new LocalizedText(zh, string.IsNullOrEmpty(en) ? null : en) };
                })],
            })],
        }).ToImmutableArray();

        return policy with
        {
            Groups = groups,
            Grades = grades,
            Commission = policy.Commission with { Tiers = tiers },
            Bonus = policy.Bonus with { Amount = Decimal(BonusAmount, "bonus.amount", policy.Bonus.Amount, problems) },
            Eligibility = new EligibilityRule(
                Whole(WindowMonths, "eligibility.windowMonths", policy.Eligibility.WindowMonths, problems),
                Whole(MaxAbsentDays, "eligibility.maxAbsentDays", policy.Eligibility.MaxAbsentDays, problems)),
            Process = new ProcessSettings(
                new AppraisalWindow(
                    Whole(FromDay, "process.appraisalWindow.fromDay", policy.Process.AppraisalWindow.FromDay, problems),
                    Whole(ToDay, "process.appraisalWindow.toDay", policy.Process.AppraisalWindow.ToDay, problems)),
                Whole(AppealDays, "process.appealDays", policy.Process.AppealDays, problems)),
        };
    }

    private static decimal Decimal(string? text, string where, decimal old, List<Problem> problems)
    {
        if (decimal.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add(new Problem(where, $"“{text}”不是有效的数字", $"\"{text}\" is not a number"));
        return old;
    }

    private static int Whole(string? text, string where, int old, List<Problem> problems)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add(new Problem(where, $"“{text}”不是有效的整数", $"\"{text}\" is not a whole number"));
        return old;
    }
}
