using System.Collections.Concurrent;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// The output of an <c>evaluate</c> run on input known to be valid (docs/evaluate.md), ready to be written; its
/// months may still be being computed. Made by <see cref="EvaluationJson.Evaluate(Stream, Policy.PolicyDocument)"/>.
/// </summary>
public sealed class EvaluationOutput
{
    private readonly BlockingCollection<MonthResult>? computed;
    private readonly Task? computing;
    private readonly ValidatedInput? input;

    internal EvaluationOutput(BlockingCollection<MonthResult> computed, Task computing)
    {
        this.computed = computed;
        this.computing = computing;
    }

    internal EvaluationOutput(ValidatedInput input) => this.input = input;

    /// <summary>Writes the contract's output JSON, each month as soon as it has been computed. Call it once.</summary>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (computed is null)
        {
            EvaluationJson.Evaluate(input!, destination);
            return;
        }

        using (computed)
        {
            ResultWriter.Write(computed.GetConsumingEnumerable(), destination);
        }

        // The months end early only if computing one failed, which Evaluator.CannotFail rules out; should it happen,
        // it surfaces here as the internal error it is.
        computing!.GetAwaiter().GetResult();
    }
}
