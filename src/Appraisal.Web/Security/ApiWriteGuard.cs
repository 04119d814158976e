using Microsoft.AspNetCore.Antiforgery;

namespace Appraisal.Web.Security;

/// <summary>
/// Cookie-authenticated API writes never rely on SameSite alone (issue 7 §3): every POST, PUT, PATCH and DELETE
/// under <c>/api</c> of a signed-in user must come from this site (an <c>Origin</c> or <c>Sec-Fetch-Site</c> the
/// browser sets, when present, names this site), carry a body only as JSON, and carry the antiforgery token of
/// <c>GET /api/antiforgery</c> in the <c>X-CSRF-TOKEN</c> header — body-less POSTs included. A form posted from
/// another site can do none of this. Refusals are bilingual problems; nothing of the request is done.
/// </summary>
public static class ApiWriteGuard
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public const string TokenPath = "/api/antiforgery";

    /// <summary>What <c>GET /api/antiforgery</c> answers: the header to send and its value for this session.</summary>
    public sealed record AntiforgeryToken(string HeaderName, string Token);

    public static IApplicationBuilder UseApiWriteGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsCookieApiWrite(context) && await RefusalAsync(context) is { } refusal)
            {
                await ApiProblems.From(refusal).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    public static IEndpointRouteBuilder MapAntiforgeryApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(TokenPath, (HttpContext http, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(http);
                return TypedResults.Ok(new AntiforgeryToken(HeaderName, tokens.RequestToken!));
            })
            .RequireAuthorization()
            .WithTags("Session")
            .WithName("AntiforgeryToken")
            .WithSummary("The token every API write must send in the X-CSRF-TOKEN header")
            .WithDescription("Valid for this session (cookie). POST, PUT, PATCH and DELETE under /api without it, with a body that is not JSON, "
                + "or from another site's page are refused (400, 415, 403) and change nothing.");
        return app;
    }

    private static bool IsCookieApiWrite(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method))
        && context.User.Identity?.IsAuthenticated == true;

    private static async Task<UserError?> RefusalAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsSameSite(request))
        {
            return new UserError(
                "拒绝来自其他网站的写入请求：请直接在本系统中操作",
                "a write sent from another site's page is refused: use this application itself",
                StatusCodes.Status403Forbidden);
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && !IsJson(request.ContentType) && !IsFileUpload(request))
        {
            return new UserError(
                $"请求体必须是 JSON（Content-Type: application/json），收到的是“{request.ContentType}”",
                $"the request body must be JSON (Content-Type: application/json), not \"{request.ContentType}\"",
                StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return new UserError(
                $"缺少或无效的防伪令牌：写入请求须在请求头 {HeaderName} 中带上 GET {TokenPath} 返回的令牌（重新登录后须重新获取）",
                $"missing or invalid antiforgery token: a write must send the token of GET {TokenPath} in the {HeaderName} header (fetch it again after signing in)",
                StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>
    /// True unless the browser says the request comes from elsewhere: an Origin other than this site's, or
    /// Sec-Fetch-Site other than same-origin / none. Clients that send neither (scripts) are held by the token.
    /// </summary>
    private static bool IsSameSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An import's file, sent as its raw bytes to <c>POST /api/imports/{kind}</c> only (not to the confirmation, and never as
    /// a form: a cross-site form still lacks the header token and the same-origin marks checked above and below).
    /// </summary>
    private static bool IsFileUpload(HttpRequest request)
    {
        var segments = request.Path.Value?.Trim('/').Split('/') ?? [];
        if (segments.Length != 3 || !segments[0].Equals("api", StringComparison.OrdinalIgnoreCase) || !segments[1].Equals("imports", StringComparison.OrdinalIgnoreCase)
            || segments[2].Equals("confirm", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && Files.ImportsApi.UploadTypes.Contains(media.MediaType.Value ?? string.Empty, StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value ?? string.Empty;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
