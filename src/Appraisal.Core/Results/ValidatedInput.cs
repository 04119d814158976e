using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// An input that passed every check of the evaluate contract against one policy (D3): scores whole and within their
/// items' range, amounts and absence days within bounds, ids unique per month, months unique. Only
/// <see cref="InputValidator.Check(EvaluationInput, PolicyDocument)"/> and the JSON readers, which run the same checks, make one, so the engine
/// (<see cref="Evaluator.Evaluate(ValidatedInput)"/>) computes it without checking it again. An input is immutable
/// all the way down, so it stays valid; against another policy it must be checked again.
/// </summary>
public sealed class ValidatedInput
{
    internal ValidatedInput(EvaluationInput input, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        Input = input;
        Policy = policy;
    }

    /// <summary>The facts, as checked.</summary>
    public EvaluationInput Input { get; }

    /// <summary>The policy the facts were checked against, and that they are evaluated under.</summary>
    public PolicyDocument Policy { get; }
}
