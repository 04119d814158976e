using System.Collections.Immutable;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Tests.Policy;

/// <summary>
/// Which level a typed score belongs to (D2), at every boundary of the seed's levels: each level's two end
/// points, the first score past them, below zero and above the maximum; the shared end point of complaints
/// (5–9 and 0–5) goes to the upper level.
/// </summary>
public class LevelOfScoreTests
{
    [Theory]
    // discipline 5: 5 | 3–4 | 2 | 0–1
    [InlineData("discipline", -1, null, false)]
    [InlineData("discipline", 0, "0-1", false)]
    [InlineData("discipline", 1, "0-1", false)]
    [InlineData("discipline", 2, "2-2", false)]
    [InlineData("discipline", 3, "3-4", false)]
    [InlineData("discipline", 4, "3-4", false)]
    [InlineData("discipline", 5, "5-5", false)]
    [InlineData("discipline", 6, null, false)]
    // problemSolving 10: 10 | 8–9 | 6–7 | 4–5 | 0–3
    [InlineData("problemSolving", 0, "0-3", false)]
    [InlineData("problemSolving", 3, "0-3", false)]
    [InlineData("problemSolving", 4, "4-5", false)]
    [InlineData("problemSolving", 5, "4-5", false)]
    [InlineData("problemSolving", 6, "6-7", false)]
    [InlineData("problemSolving", 7, "6-7", false)]
    [InlineData("problemSolving", 8, "8-9", false)]
    [InlineData("problemSolving", 9, "8-9", false)]
    [InlineData("problemSolving", 10, "10-10", false)]
    [InlineData("problemSolving", 11, null, false)]
    // teamwork 10: 10 | 9 | 7–8 | 5–6 | 3–4 | 0–2
    [InlineData("teamwork", 2, "0-2", false)]
    [InlineData("teamwork", 3, "3-4", false)]
    [InlineData("teamwork", 4, "3-4", false)]
    [InlineData("teamwork", 5, "5-6", false)]
    [InlineData("teamwork", 6, "5-6", false)]
    [InlineData("teamwork", 7, "7-8", false)]
    [InlineData("teamwork", 8, "7-8", false)]
    [InlineData("teamwork", 9, "9-9", false)]
    [InlineData("teamwork", 10, "10-10", false)]
    // performance 40: 40 | 35–39 | 28–34 | 23–27 | 16–22 | 11–15 | 6–10 | 0–5
    [InlineData("performance", 0, "0-5", false)]
    [InlineData("performance", 5, "0-5", false)]
    [InlineData("performance", 6, "6-10", false)]
    [InlineData("performance", 10, "6-10", false)]
    [InlineData("performance", 11, "11-15", false)]
    [InlineData("performance", 15, "11-15", false)]
    [InlineData("performance", 16, "16-22", false)]
    [InlineData("performance", 22, "16-22", false)]
    [InlineData("performance", 23, "23-27", false)]
    [InlineData("performance", 27, "23-27", false)]
    [InlineData("performance", 28, "28-34", false)]
    [InlineData("performance", 34, "28-34", false)]
    [InlineData("performance", 35, "35-39", false)]
    [InlineData("performance", 39, "35-39", false)]
    [InlineData("performance", 40, "40-40", false)]
    [InlineData("performance", 41, null, false)]
    // complaints 20: 20 | 16–19 | 10–15 | 5–9 | 0–5 — 5 is held by two levels: the upper one (5–9).
    [InlineData("complaints", 0, "0-5", false)]
    [InlineData("complaints", 4, "0-5", false)]
    [InlineData("complaints", 5, "5-9", true)]
    [InlineData("complaints", 6, "5-9", false)]
    [InlineData("complaints", 9, "5-9", false)]
    [InlineData("complaints", 10, "10-15", false)]
    [InlineData("complaints", 15, "10-15", false)]
    [InlineData("complaints", 16, "16-19", false)]
    [InlineData("complaints", 19, "16-19", false)]
    [InlineData("complaints", 20, "20-20", false)]
    [InlineData("complaints", 21, null, false)]
    // passion, promotion, summary 5: 5 | 3–4 | 0–2
    [InlineData("passion", 2, "0-2", false)]
    [InlineData("passion", 3, "3-4", false)]
    [InlineData("promotion", 4, "3-4", false)]
    [InlineData("promotion", 5, "5-5", false)]
    [InlineData("summary", 0, "0-2", false)]
    [InlineData("summary", 6, null, false)]
    [InlineData("summary", -1, null, false)]
    public void A_score_belongs_to_the_level_that_holds_it(string key, int score, string? range, bool shared)
    {
        var item = DefaultPolicy.Instance.Items.Single(i => i.Key == key);

        var index = item.LevelOf(score);

        Assert.Equal(range, index < 0 ? null : $"{item.Levels[index].Min}-{item.Levels[index].Max}");
        Assert.Equal(shared, item.IsSharedEndPoint(score));
    }

    [Fact]
    public void Every_score_of_every_seed_item_has_a_level()
    {
        foreach (var item in DefaultPolicy.Instance.Items)
        {
            for (var score = 0; score <= item.Max; score++)
            {
                Assert.True(item.LevelOf(score) >= 0, $"{item.Key} {score}");
            }
        }
    }

    [Theory]
    // The upper level wins whatever order the levels are listed in.
    [InlineData(new[] { 0, 5, 5, 9 }, 5, 1)]
    [InlineData(new[] { 5, 9, 0, 5 }, 5, 0)]
    [InlineData(new[] { 0, 5, 5, 9 }, 4, 0)]
    [InlineData(new[] { 0, 5, 5, 9 }, 10, -1)]
    public void The_upper_level_wins_in_any_order(int[] ranges, int score, int expected)
    {
        var levels = Enumerable.Range(0, ranges.Length / 2)
            .Select(i => new ItemLevel(ranges[2 * i], ranges[(2 * i) + 1], new LocalizedText("档")))
            .ToImmutableArray();
        var item = new PolicyItem("x", new LocalizedText("项"), 9, levels);

        Assert.Equal(expected, item.LevelOf(score));
    }
}
