using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Appraisal.Web;

/// <summary>
/// What a refusal without a body of its own looks like: under <c>/api</c> the same bilingual problem as every other
/// refusal (a route that does not exist, a method it does not take, a body of the wrong type or size); on pages a
/// page in the user's language that says what happened and where to go next — never the framework's bare JSON.
/// </summary>
public static class StatusAnswers
{
    /// <summary>The key under which <see cref="BadQueryFilter"/> leaves the query values it could not read.</summary>
    public const string BadQueryKey = "appraisal:bad-query";

    public static IApplicationBuilder UseStatusAnswers(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsApi, api => api.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var (zh, en) = Message(http.Response.StatusCode);
            var problem = new ProblemDetails { Status = http.Response.StatusCode, Title = zh, Detail = en };
            problem.Extensions["zh"] = zh;
            problem.Extensions["en"] = en;
            await TypedResults.Problem(problem).ExecuteAsync(http);
        }));
        app.UseWhen(http => !IsApi(http), pages => pages.UseStatusCodePagesWithReExecute("/Status", "?code={0}"));
        return app;
    }

    /// <summary>The plain words for a status, in both languages.</summary>
    public static (string Zh, string En) Message(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("请求的内容或参数不正确，未做任何更改", "the request or one of its values is not valid; nothing was changed"),
        StatusCodes.Status401Unauthorized => ("请先登录", "sign in first"),
        StatusCodes.Status403Forbidden => ("无权访问", "access denied"),
        StatusCodes.Status404NotFound => ("未找到：该地址不存在，或所指的记录不存在", "not found: there is no such address, or no such record"),
        StatusCodes.Status405MethodNotAllowed => ("该地址不接受这种请求方法", "this address does not take this request method"),
        StatusCodes.Status409Conflict => ("该记录已被他人修改，请刷新后重试", "someone else changed this record; reload and try again"),
        StatusCodes.Status413PayloadTooLarge => ("请求内容过大，未做任何更改", "the request is too large; nothing was changed"),
        StatusCodes.Status415UnsupportedMediaType => ("请求体须为 JSON（Content-Type: application/json）", "the request body must be JSON (Content-Type: application/json)"),
        StatusCodes.Status429TooManyRequests => ("服务器正忙，请稍后重试", "the server is busy; please try again shortly"),
        _ => ("请求未能完成，未做任何更改", "the request could not be completed; nothing was changed"),
    };

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A page asked for with a query value that cannot be read (a person id that is not a number, a month that is not
/// YYYY-MM) answers 400 with a page naming the value, instead of treating the value as absent.
/// </summary>
public sealed class BadQueryFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (HttpMethods.IsGet(context.HttpContext.Request.Method) && !context.ModelState.IsValid
            && !context.HandlerInstance.GetType().IsDefined(typeof(ReportsBadQueryAttribute), inherit: true))
        {
            context.HttpContext.Items[StatusAnswers.BadQueryKey] = context.ModelState
                .Where(e => e.Value?.Errors.Count > 0)
                .Select(e => (e.Key, e.Value!.AttemptedValue ?? string.Empty))
                .ToList();
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
            return;
        }

        await next();
    }
}

/// <summary>Marks a page that names its own unreadable query values in its own words (e.g. a search form's dates).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReportsBadQueryAttribute : Attribute;
