using System.Buffers;
using System.Text;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// The JSON of the evaluate contract (docs/evaluate.md): the input read and checked, reporting every problem with
/// month, employee and field (D3), into a <see cref="ValidatedInput"/>; the results written as the contract's output.
/// Numbers are read as <see cref="decimal"/> straight from their text, never through binary floating point (D9).
/// The work is done by the other types of this namespace, one job each: <see cref="GeneralInputReader"/> reads any
/// input, <see cref="PlainInputReader"/> the plain form programs write several times faster, the pools share repeated
/// values, <see cref="ResultWriter"/> writes, and <see cref="Pipeline"/> overlaps reading, computing and writing.
/// </summary>
public static class EvaluationJson
{
    /// <summary>
    /// Reads and checks an input document; throws <see cref="ProblemsException"/> listing every problem (syntax,
    /// types, unknown or missing fields, and <see cref="InputValidator"/>'s checks).
    /// </summary>
    public static ValidatedInput ReadInput(ReadOnlySpan<byte> utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return GeneralInputReader.Read(utf8Json, policy);
    }

    /// <summary>
    /// Reads and checks an input document from a stream, as <see cref="ReadInput(ReadOnlySpan{byte}, PolicyDocument)"/>
    /// does from bytes, with the same problems and positions. The stream is read in blocks, so the document is never
    /// held in memory as a whole; a leading UTF-8 byte-order mark is skipped. I/O errors of the stream propagate as
    /// they are.
    /// </summary>
    public static ValidatedInput ReadInput(Stream utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(policy);
        if (utf8Json.CanSeek)
        {
            // Most input is in the plain form a program writes, which PlainInputReader reads several times faster;
            // anything else, bad input included, is read again from the start by the general reader.
            var start = utf8Json.Position;
            if (PlainInputReader.TryRead(utf8Json, policy) is { } plain)
            {
                return plain;
            }

            utf8Json.Position = start;
        }

        return GeneralInputReader.Read(utf8Json, policy);
    }

    /// <summary>Writes <paramref name="result"/> as the contract's output JSON (UTF-8, indented).</summary>
    public static void WriteOutput(EvaluationResult result, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultWriter.Write(result.Months, destination);
    }

    /// <summary>Writes <paramref name="result"/> as the contract's output JSON.</summary>
    public static void WriteOutput(EvaluationResult result, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultWriter.Write(result.Months, destination);
    }

    /// <summary>The contract's output JSON as a string.</summary>
    public static string WriteOutput(EvaluationResult result)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteOutput(result, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Evaluates <paramref name="input"/> and writes the contract's output JSON: the same bytes as
    /// <see cref="WriteOutput(EvaluationResult, Stream)"/> of <see cref="Evaluator.Evaluate(ValidatedInput)"/>, but each
    /// month is written as soon as it is computed and then dropped, so a large run never holds all its results.
    /// </summary>
    public static void Evaluate(ValidatedInput input, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Evaluator.CannotFail(input))
        {
            // An amount near decimal's limits might overflow in some month: compute them all before the first
            // byte is written, so that a failure leaves no partial output behind.
            WriteOutput(Evaluator.Evaluate(input), destination);
            return;
        }

        ResultWriter.Write(Pipeline.ComputeOneAhead(Evaluator.EvaluateMonths(input)), destination);
    }

    /// <summary>
    /// The whole of <c>evaluate</c>: reads and checks an input document from a stream and evaluates it. Throws
    /// <see cref="ProblemsException"/> listing every problem when the input is not valid, having written nothing;
    /// otherwise returns the output, to be written with <see cref="EvaluationOutput.WriteTo"/>.
    /// </summary>
    /// <remarks>
    /// Input in the plain form (<see cref="PlainInputReader"/>) with its months in chronological order, as exports
    /// write them, is computed on a second thread while it is still being read, each month as soon as it has been
    /// read (<see cref="Pipeline.ReadWhileComputing"/>); the output is written once the whole input is known to be
    /// valid, the months not yet computed then still being computed. Other input is read first, then computed while
    /// it is written (<see cref="Evaluate(ValidatedInput, Stream)"/>).
    /// </remarks>
    public static EvaluationOutput Evaluate(Stream utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(policy);
        if (utf8Json.CanSeek && Evaluator.CannotFail(policy))
        {
            var start = utf8Json.Position;
            if (Pipeline.ReadWhileComputing(utf8Json, policy) is { } output)
            {
                return output;
            }

            // Not plain: the general reader, which reports every problem (the fast one has read it already).
            utf8Json.Position = start;
            return new EvaluationOutput(GeneralInputReader.Read(utf8Json, policy));
        }

        return new EvaluationOutput(ReadInput(utf8Json, policy));
    }
}
