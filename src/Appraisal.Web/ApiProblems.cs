using System.Text.Json;
using Appraisal.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web;

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
    /// A request the API cannot even read (a number field holding text, a date in another form, malformed JSON)
    /// gets the same kind of problem as every other refusal, naming the field, instead of the framework's empty 400.
    /// Needs <see cref="RouteHandlerOptions.ThrowOnBadRequest"/>, so that reading failures arrive as exceptions.
    /// </summary>
    public static IApplicationBuilder UseApiReadErrors(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !context.Response.HasStarted)
            {
                var error = ReadError(ex);
                var parameter = ParameterError(ex);
                error = parameter ?? error;
                var zh = parameter?.Zh ?? "请求无法读取";
                var en = parameter?.En ?? "the request cannot be read";
                var problem = new ProblemDetails { Status = ex.StatusCode, Title = zh, Detail = en };
                problem.Extensions["zh"] = zh;
                problem.Extensions["en"] = en;
                problem.Extensions["errors"] = new[] { error };
                context.Response.StatusCode = ex.StatusCode;
                await TypedResults.Problem(problem).ExecuteAsync(context);
            }
        });

    /// <summary>
    /// A route or query value that does not bind to its type, named with the value as given: a month
    /// (<c>/api/months/2026-13</c>) gets the month's own message; other types say what was expected.
    /// </summary>
    internal static ApiError? ParameterError(BadHttpRequestException ex)
    {
        var match = System.Text.RegularExpressions.Regex.Match(ex.Message, "^Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$",
            System.Text.RegularExpressions.RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return null;
        }

        var (type, name, value) = (match.Groups["type"].Value, match.Groups["name"].Value, match.Groups["value"].Value);
        if (type.Contains(nameof(Core.Months.YearMonth), StringComparison.Ordinal))
        {
            var month = App.Months.MonthLookup.NotAMonth(value);
            return new ApiError(name, month.Zh, month.En);
        }

        return new ApiError(name, $"参数 {name} 的值“{value}”无效", $"the value \"{value}\" of {name} is not valid");
    }

    /// <summary>The place of a problem with the request body as a whole.</summary>
    public const string Body = "body";

    /// <summary>Where and what: the JSON path of the value (<c>rows[0].salesPlan</c>) and the kind of value expected there.</summary>
    internal static ApiError ReadError(BadHttpRequestException ex)
    {
        if (ex.InnerException is not JsonException json)
        {
            return new ApiError(Body, "请求体缺失，或不是所要求的 JSON 对象；参数的格式也可能不正确", "the request body is missing or not the JSON object expected, or a parameter has the wrong form");
        }

        // The reader names the place but, for the records the API binds, not the type it expected there; a problem
        // with the document as a whole (null, an array for an object) is at the body itself.
        var where = json.Path is { } path ? path.TrimStart('$').TrimStart('.') : string.Empty;
        if (json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            // AllowDuplicateProperties = false (ApiJson): which of the two values was meant cannot be guessed.
            return new ApiError(where, "该字段重复出现；每个字段只能给一次", "the field appears twice; give each field once");
        }

        where = where.Length == 0 ? Body : where;
        return json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? new ApiError(where, "该值的类型或格式不对（例如数字字段中是文本，或整数字段中有小数）", "the value has the wrong type or form (for example text in a number field, or a fraction in a whole-number field)")
            : new ApiError(where, "不是有效的 JSON", "not valid JSON");
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
