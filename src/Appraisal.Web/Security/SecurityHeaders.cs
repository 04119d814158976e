namespace Appraisal.Web.Security;

/// <summary>
/// The headers every response carries (issue 7 §3): a Content-Security-Policy that allows no inline script or
/// style and no framing, no MIME sniffing, no referrer to other sites, HSTS over HTTPS, and — because pages and
/// API answers hold personal data and pay (D19) — <c>Cache-Control: no-store</c> on everything but static files.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of every page and answer: scripts and styles only from files of this site.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The browsable API docs (Scalar, HR/GM/admin only) start themselves with an inline script and inject their styles:
    /// that one page may run inline code, still from this site only and never in a frame (tested in HeaderTests).
    /// </summary>
    public const string ApiDocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiDocsPath = "/scalar";

    /// <summary>Static files may be cached, but are checked again (their links carry a version, asp-append-version).</summary>
    public const string StaticCaching = "no-cache";

    private static readonly object StaticFile = new();

    /// <summary>Marks a response as a static file of wwwroot (<see cref="StaticCaching"/> instead of no-store).</summary>
    public static void MarkStatic(Microsoft.AspNetCore.StaticFiles.StaticFileResponseContext file)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Context.Items[StaticFile] = true;
        file.Context.Response.Headers.CacheControl = StaticCaching;
    }

    /// <summary>
    /// The docs page itself, as served to the roles that may read it (200, HTML): the redirect or refusal anyone else
    /// gets at the same address, and the docs' script and icon files, keep the strict policy.
    /// </summary>
    private static bool IsApiDocsPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ApiDocsPath, StringComparison.OrdinalIgnoreCase)
        && context.Response.StatusCode == StatusCodes.Status200OK
        && context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set when the response starts, so that the exception handler (which clears headers) and status pages keep them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = IsApiDocsPage(context) ? ApiDocsPolicy : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (!context.Items.ContainsKey(StaticFile))
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }

                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
