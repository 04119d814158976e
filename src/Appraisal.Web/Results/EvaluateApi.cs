using System.Buffers;
using System.Text.Json;
using System.Threading.RateLimiting;
using Appraisal.Core;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Appraisal.App.Results;

namespace Appraisal.Web.Results;

/// <summary>
/// <c>POST /api/evaluate</c>: the evaluate contract (docs/evaluate.md) over HTTP, byte for byte the
/// CLI's output (without the CLI's closing newline). Stateless: nothing is read from or written to the
/// database except the named policy version. What-ifs are for the people who design, approve and run the policy —
/// HR, the general manager and the administrator (IT) — not for agents or supervisors, whose results the product
/// computes for them (issue 7 §3). A body is at most <c>Evaluate:MaxBodyBytes</c> (413 beyond) and at most
/// <c>Evaluate:MaxConcurrent</c> evaluations run at once, <c>Evaluate:QueueLimit</c> more wait (429 beyond), so
/// that the server's memory is bounded whatever is sent.
/// </summary>
public static class EvaluateApi
{
    public const string LimiterPolicy = "evaluate";

    /// <summary>16 MiB: a year of a 5 000-agent company is about 15 MB of contract JSON.</summary>
    public const long DefaultMaxBodyBytes = 16L * 1024 * 1024;

    /// <summary>Who may run what-ifs: HR, the general manager and the administrator.</summary>
    public static bool MayEvaluate(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsHr || actor.IsGeneralManager || actor.IsAdmin;
    }

    /// <summary>The concurrency limit of evaluations, one for the whole server.</summary>
    public static Func<HttpContext, RateLimitPartition<string>> Limiter(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("Evaluate:MaxConcurrent", 2)),
            QueueLimit = Math.Max(0, configuration.GetValue("Evaluate:QueueLimit", 2)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        return _ => RateLimitPartition.GetConcurrencyLimiter(LimiterPolicy, _ => options);
    }

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
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(LimiterPolicy);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> EvaluateAsync(
        HttpRequest request,
        PolicyStore policies,
        IConfiguration configuration,
        [FromQuery] string? policyVersion,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MayEvaluate(Actor.From(request.HttpContext.User)))
        {
            return ApiProblems.From(new UserError(
                "只有人事、总经理和管理员可以试算（evaluate）；您的考核结果由系统在月度计算中给出",
                "only HR, the general manager and the administrator may run evaluations; your own results come from the month's computation",
                StatusCodes.Status403Forbidden));
        }

        var limit = configuration.GetValue("Evaluate:MaxBodyBytes", DefaultMaxBodyBytes);
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
        if (request.ContentLength > limit || !await CopyAtMostAsync(request.Body, body, limit, ct))
        {
            return ApiProblems.From(new UserError(
                $"请求体过大：最多 {limit / 1024 / 1024} MB（Evaluate:MaxBodyBytes）；请把月份或人员分成几次试算",
                $"the request body is too large: at most {limit / 1024 / 1024} MB (Evaluate:MaxBodyBytes); split the months or people over several calls",
                StatusCodes.Status413PayloadTooLarge));
        }

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

    /// <summary>Copies the body, stopping as soon as it is longer than <paramref name="limit"/> (false then).</summary>
    private static async Task<bool> CopyAtMostAsync(Stream from, MemoryStream to, long limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                if (to.Length + read > limit)
                {
                    return false;
                }

                to.Write(buffer, 0, read);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
