using Appraisal.Core.Policy;
using Appraisal.App.People;
using Appraisal.App.Results;

namespace Appraisal.App.Dashboards;

/// <summary>What the band above the newest grade needs: its lower bound and the points above the newest score (第八条).</summary>
public sealed record NextGrade(string Month, decimal Score, string Grade, GradeBand? Next, decimal? PointsNeeded, ScoreWeights Weights)
{
    /// <summary>
    /// What the next grade needs after the newest scored month of <paramref name="months"/> (oldest first): the band
    /// above in the policy version that computed that month (<see cref="PolicyDocument.NextGradeAbove"/>, D18); null
    /// without a scored month. The agent's dashboard and the history page both ask here.
    /// </summary>
    public static NextGrade? Of(ResultHistory view, IEnumerable<HistoryRow> months)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(months);
        var newest = months.LastOrDefault(r => r.Score is not null);
        if (newest is not { Score: { } score } || !view.Labels.Policies.TryGetValue(newest.PolicyVersion, out var policy))
        {
            return null;
        }

        var band = policy.NextGradeAbove(score);
        return new NextGrade(newest.Month, score, view.Labels.Grade(newest.PolicyVersion, newest.GradeKey), band, band is null ? null : band.MinScore - score, policy.Weights);
    }
}

/// <summary>An agent's dashboard (issue 9): their own published months, oldest first (at most 12), and what the next grade needs.</summary>
public sealed record AgentDashboard(ResultHistory History, IReadOnlyList<HistoryRow> Months, NextGrade? Next);

/// <summary>
/// Reads an agent's own dashboard through <see cref="ReadHistory"/> (its access: only themself, only published
/// months, D16, D19); the next grade is the policy's band above (<see cref="PolicyDocument.NextGradeAbove"/>) in the
/// version that computed the newest month (D18).
/// </summary>
public sealed class ReadAgentDashboard(ReadHistory history)
{
    public const int Months = 12;

    public async Task<AgentDashboard> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        var me = ResultAccess.EnsureOwn(actor);
        var view = await history.ExecuteAsync(actor, me, ct);
        var months = view.Rows.Take(Months).Reverse().ToList();
        return new AgentDashboard(view, months, NextGrade.Of(view, months));
    }
}
