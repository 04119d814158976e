using System.Net;
using System.Text;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// /api/evaluate holds the server's memory within bounds (issue 7 §3): what-ifs are for HR, the general manager
/// and the administrator; a body beyond Evaluate:MaxBodyBytes is a 413; beyond Evaluate:MaxConcurrent running
/// (and QueueLimit waiting) the answer is 429 "busy" — raced for real with a request held open.
/// </summary>
public sealed class EvaluateLimitTests(EvaluateLimitTests.LimitedFactory app) : IClassFixture<EvaluateLimitTests.LimitedFactory>
{
    private const int MaxBody = 4096;
    private static readonly byte[] Example = File.ReadAllBytes(Path.Combine(AppFactory.RepositoryRoot(), "samples", "evaluate-example.json"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("agent01", HttpStatusCode.Forbidden)]
    [InlineData("sup1", HttpStatusCode.Forbidden)]
    [InlineData("hr", HttpStatusCode.OK)]
    [InlineData("gm", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task Only_hr_the_general_manager_and_the_administrator_run_what_ifs(string user, HttpStatusCode expected)
    {
        using var client = await SignIn.AsAsync(app, user);
        using var response = await client.PostAsync("/api/evaluate", Json(Example), Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Contains("只有人事、总经理和管理员", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_a_413_with_both_languages(bool withLength)
    {
        Assert.True(Example.Length < MaxBody, "the example fits");
        var big = Encoding.UTF8.GetBytes("{\"months\": [" + new string(' ', MaxBody) + "]}");
        using var client = await SignIn.AsAsync(app, "hr");
        using HttpContent content = withLength ? Json(big) : new StreamContent(new UnseekableStream(big));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/api/evaluate", content, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("请求体过大", body, StringComparison.Ordinal);
        Assert.Contains("too large", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beyond_the_concurrency_limit_the_answer_is_429_busy_and_the_held_request_still_completes()
    {
        using var client = await SignIn.AsAsync(app, "hr");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Race a second request against a held one until the held one owns the only slot. When the second gets
        // in first, the held one is the one refused: start it again.
        HttpResponseMessage? busy = null;
        Task<HttpResponseMessage>? first = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (busy is null && DateTime.UtcNow < deadline)
        {
            if (first is null || first.IsCompleted)
            {
                if (first is not null)
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, (await first).StatusCode);
                    (await first).Dispose();
                }

#pragma warning disable CA2000 // disposed by the request
                first = client.PostAsync("/api/evaluate", new HeldContent(Example, release.Task), Ct);
#pragma warning restore CA2000
                await Task.Delay(50, Ct);
            }

            var second = await client.PostAsync("/api/evaluate", Json(Example), Ct);
            if (second.StatusCode == HttpStatusCode.TooManyRequests && !first.IsCompleted)
            {
                busy = second;
            }
            else
            {
                Assert.True(second.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)second.StatusCode}");
                second.Dispose();
                await Task.Delay(20, Ct);
            }
        }

        Assert.True(busy is not null, "no 429 while a request was held");
        using (busy)
        {
            Assert.True(busy.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
            var text = await busy.Content.ReadAsStringAsync(Ct);
            Assert.Contains("服务器繁忙", text, StringComparison.Ordinal);
            Assert.Contains("busy", text, StringComparison.Ordinal);
        }

        release.SetResult();
        using var done = await first!;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using var after = await client.PostAsync("/api/evaluate", Json(Example), Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    public sealed class LimitedFactory : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            base.ConfigureWebHost(builder);
            builder.UseSetting("Evaluate:MaxBodyBytes", MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Evaluate:MaxConcurrent", "1");
            builder.UseSetting("Evaluate:QueueLimit", "0");
        }
    }

    /// <summary>A JSON body of which the first bytes go at once and the rest only when <paramref name="release"/> completes.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] body;
        private readonly Task release;

        public HeldContent(byte[] body, Task release)
        {
            this.body = body;
            this.release = release;
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, 10));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(body.AsMemory(10));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    /// <summary>A body whose length the client cannot know in advance (sent chunked).</summary>
    private sealed class UnseekableStream(byte[] body) : MemoryStream(body)
    {
        public override bool CanSeek => false;
    }
}
