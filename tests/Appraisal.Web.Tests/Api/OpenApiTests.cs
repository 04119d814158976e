using System.Net;
using System.Text.Json;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Api;

/// <summary>The OpenAPI description and its browsable docs, for HR, the general manager and the administrator only (issue 7 §3).</summary>
public sealed class OpenApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_description_lists_every_endpoint()
    {
        using var client = await SignIn.AsAsync(app, "hr");
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var paths = doc.RootElement.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/api/evaluate"] = ["post"],
            ["/api/months"] = ["get", "post"],
            ["/api/months/{month}"] = ["get"],
            ["/api/months/{month}/compute"] = ["post"],
            ["/api/months/{month}/confirm"] = ["post"],
            ["/api/months/{month}/reopen"] = ["post"],
            ["/api/months/{month}/results"] = ["get"],
            ["/api/people/{id}/results"] = ["get"],
            ["/api/months/{month}/sheets/{person}/{kind}"] = ["get", "put"],
            ["/api/policy"] = ["get"],
            ["/api/policy/versions"] = ["get", "post"],
            ["/api/policy/versions/{id}"] = ["get", "put"],
            ["/api/policy/versions/{id}/approval"] = ["post"],
            ["/api/months/{month}/facts"] = ["get", "put"],
            ["/api/months/{month}/adjustments"] = ["post"],
            ["/api/months/{month}/extensions"] = ["post"],
            ["/api/months/{month}/talks/{person}"] = ["put"],
            ["/api/months/{month}/payslips/{person}"] = ["get"],
            ["/api/months/{month}/results/{person}/acknowledgement"] = ["post"],
            ["/api/months/{month}/results/{person}/appeals"] = ["post"],
            ["/api/appeals"] = ["get"],
            ["/api/appeals/{id}/decision"] = ["post"],
            ["/api/reviews"] = ["get"],
            ["/api/reviews/{id}/decision"] = ["post"],
            ["/api/reviews/{id}/steps"] = ["post"],
            ["/health/live"] = ["get"],
            ["/health/ready"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), path);
            foreach (var method in methods)
            {
                Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path}");
                Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has a name");
                Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has a summary");
            }
        }

        Assert.True(doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("ResultRow", out _));
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task Only_hr_the_general_manager_and_the_administrator_get_the_description_and_the_docs(string url)
    {
        using var anonymous = SignIn.Anonymous(app);
        using var refused = await anonymous.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/Account/Login", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        foreach (var user in new[] { "agent01", "sup1" })
        {
            using var other = await SignIn.AsAsync(app, user);
            using var denied = await other.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(await Browser.IsRefusedAsync(other, denied), $"{user} {url}: {(int)denied.StatusCode}");
        }

        foreach (var user in new[] { "hr", "gm", "admin" })
        {
            using var client = await SignIn.AsAsync(app, user);
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
