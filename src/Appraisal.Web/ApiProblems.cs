using Appraisal.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web;

/// <summary>One problem of a request, where it is and what is wrong in both languages (D3).</summary>
public sealed record ApiError(string Where, string Zh, string En);

/// <summary>
/// Refusals of the JSON API as RFC 9457 problem details: <c>title</c> in Chinese (the customer's
/// language), <c>detail</c> in English, and both again as the <c>zh</c>/<c>en</c> extensions for clients
/// that pick a language; a request with several problems lists every one in <c>errors</c> (D3).
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult From(UserError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var problem = new ProblemDetails { Status = error.Status, Title = error.Zh, Detail = error.En };
        problem.Extensions["zh"] = error.Zh;
        problem.Extensions["en"] = error.En;
        if (error.Errors is { Count: > 0 } errors)
        {
            problem.Extensions["errors"] = errors.ToArray();
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult From(IReadOnlyList<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var zh = $"输入有误，共 {problems.Count} 处问题";
        var en = $"the input has {problems.Count} problem(s)";
        var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = zh, Detail = en };
        problem.Extensions["zh"] = zh;
        problem.Extensions["en"] = en;
        problem.Extensions["errors"] = problems.Select(p => new ApiError(p.Where, p.Zh, p.En)).ToArray();
        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// Lets the commands' <see cref="UserError"/> (and <see cref="ProblemsException"/>) become problem
    /// responses for every endpoint of <paramref name="group"/>, and says so in the OpenAPI document.
    /// </summary>
    public static RouteGroupBuilder WithUserErrors(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (UserError error)
            {
                return From(error);
            }
            catch (ProblemsException ex)
            {
                return From(ex.Problems);
            }
        });
        return group
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
