namespace Appraisal.Core;

/// <summary>
/// One thing wrong with an input or a policy, said in Chinese and in English, with where it is
/// (month, employee, field; or a path in the policy). Validation collects every problem, not the
/// first (D3).
/// </summary>
public sealed record Problem(string Where, string Zh, string En)
{
    /// <summary>One line: where, then the Chinese message, then the English one.</summary>
    public override string ToString() => Where.Length == 0 ? $"{Zh} ({En})" : $"{Where}: {Zh} ({En})";
}

/// <summary>Thrown when an input or a policy has problems; carries all of them.</summary>
public sealed class ProblemsException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ProblemsException(IReadOnlyList<Problem> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    /// <summary>Creates an exception without problems (for serializers).</summary>
    public ProblemsException()
        : this([])
    {
    }

    /// <summary>Creates an exception with one message.</summary>
    public ProblemsException(string message)
        : this([new Problem(string.Empty, message, message)])
    {
    }

    /// <summary>Creates an exception with one message and its cause.</summary>
    public ProblemsException(string message, Exception innerException)
        : base(message, innerException) => Problems = [new Problem(string.Empty, message, message)];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<Problem> Problems { get; }
}
