using System.Buffers;
using System.Text.Json;
using Appraisal.Core;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using Appraisal.Web.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Results;

/// <summary>
/// <c>POST /api/evaluate</c>: the evaluate contract (evaluate-contract.md) over HTTP, byte for byte the
/// CLI's output (without the CLI's closing newline). Stateless: nothing is read from or written to the
/// database except the named policy version.
/// </summary>
public static class EvaluateApi
{
    public static IEndpointRouteBuilder MapEvaluateApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Evaluate").WithUserErrors();
        api.MapPost("/evaluate", EvaluateAsync)
            .WithName("Evaluate")
            .WithSummary("Evaluate months of appraisal data (the evaluate contract)")
            .WithDescription("The request body is the contract's input JSON ({\"months\": [...]}); the response is the contract's output JSON. "
                + "Uses the embedded default policy unless policyVersion names an approved version. Bad input is a 400 problem whose "
                + "errors array lists every problem (where, zh, en).")
            .Accepts<JsonElement>("application/json")
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json");
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> EvaluateAsync(
        HttpRequest request,
        PolicyStore policies,
        [FromQuery] string? policyVersion,
        CancellationToken ct)
    {
        var policy = DefaultPolicy.Instance;
        if (!string.IsNullOrEmpty(policyVersion))
        {
            // Only approved versions: a draft is not yet the company's policy (D18).
            var named = await policies.ApprovedAsync(policyVersion, ct);
            if (named is null)
            {
                return ApiProblems.From([new Problem("policyVersion",
                    $"没有名为“{policyVersion}”的已批准政策版本", $"there is no approved policy version named \"{policyVersion}\"")]);
            }

            policy = named;
        }

        // The contract reads numbers as decimals straight from their text (D9), so the body is read raw, not bound.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        try
        {
            var output = Evaluate(body.GetBuffer().AsSpan(0, (int)body.Length), policy);
            return TypedResults.Bytes(output.WrittenMemory, "application/json");
        }
        catch (ProblemsException ex)
        {
            return ApiProblems.From(ex.Problems);
        }
    }

    private static ArrayBufferWriter<byte> Evaluate(ReadOnlySpan<byte> json, PolicyDocument policy)
    {
        var input = EvaluationJson.ReadInput(json, policy);
        var result = Evaluator.Evaluate(input);
        var output = new ArrayBufferWriter<byte>();
        EvaluationJson.WriteOutput(result, output);
        return output;
    }
}
