using System.Buffers.Binary;
using System.Net;
using Appraisal.App.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// "About the same time for an unknown user and a wrong password" (issue 7 §3), proven without a stopwatch: every
/// way a sign-in can fail — no such user, a wrong password, an account locked by the administrator, an address
/// locked out of an account by its failures, an empty name — checks exactly one password hash, of the same kind and
/// cost (PBKDF2 format, pseudo-random function and iteration count read from the hash) as a real account's, and
/// answers with the same status and message. The application's password hasher is wrapped by one that counts.
/// </summary>
public sealed class SignInWorkTests(SignInWorkTests.CountingApp app) : IClassFixture<SignInWorkTests.CountingApp>
{
    /// <summary>Who tries what: the account, the password, and how the account is prepared.</summary>
    public static TheoryData<string, string, string> Failures() => new()
    {
        { "unknown user", "nobody-at-all", SignIn.Password },
        { "wrong password", "agent03", "not-the-password" },
        { "locked by the administrator", "agent04", SignIn.Password },
        { "address locked out by failures", "agent05", SignIn.Password },
        { "empty user name", string.Empty, SignIn.Password },
        { "user name of spaces", "   ", "not-the-password" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Every_failed_sign_in_checks_one_password_hash_like_a_real_one_and_answers_alike(string what, string user, string password)
    {
        // Each case from its own address (the descriptions differ in length), so that no case's failures lock another's.
        var address = $"198.51.100.{100 + what.Length}";
        using var client = app.From(address);
        if (what == "locked by the administrator")
        {
            await using var scope = app.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync(user))!, DateTimeOffset.UtcNow.AddHours(1));
        }
        else if (what == "address locked out by failures")
        {
            for (var i = 0; i < 5; i++)
            {
                await SignInTests.AttemptAsync(client, user, $"guess-{i}");
            }
        }

        var reference = await SignInTests.AttemptAsync(client, "agent02", "not-the-password");
        var counter = app.Services.GetRequiredService<HashCounter>();
        var (status, error, verified) = await counter.CountAsync(() => SignInTests.AttemptAsync(client, user, password));

        Assert.True(verified.Count == 1, $"{what}: {verified.Count} password hash checks");
        Assert.Equal(await RealCostAsync(), Cost(verified[0]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((reference.Status, reference.Error), (status, error));
        Assert.Contains("用户名或密码不正确", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_sign_in_checks_one_password_hash_too()
    {
        using var client = app.From("198.51.100.90");
        var counter = app.Services.GetRequiredService<HashCounter>();
        var (status, _, verified) = await counter.CountAsync(() => SignInTests.AttemptAsync(client, "agent06", SignIn.Password));
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Single(verified);
        Assert.Equal(await RealCostAsync(), Cost(verified[0]));
    }

    /// <summary>The format, pseudo-random function and iteration count of a demo account's stored hash.</summary>
    private async Task<string> RealCostAsync()
    {
        await using var scope = app.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return Cost((await users.FindByNameAsync("agent02"))!.PasswordHash!);
    }

    /// <summary>What a check of <paramref name="hash"/> costs: Identity's V3 header (format 0x01, PRF, iteration count, salt size).</summary>
    private static string Cost(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return $"v3 prf={BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1))} iterations={BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5))} salt={BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9))}";
    }

    /// <summary>The application with its password hasher wrapped by <see cref="HashCounter"/>.</summary>
    public sealed class CountingApp : ProxiedFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<HashCounter>();
                services.RemoveAll<IPasswordHasher<AppUser>>();
                services.AddScoped<IPasswordHasher<AppUser>>(sp => new CountingHasher(
                    new PasswordHasher<AppUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), sp.GetRequiredService<HashCounter>()));
            });
        }
    }

    /// <summary>The hashes checked while <see cref="CountAsync"/> runs (the tests of a class run one after another).</summary>
    public sealed class HashCounter
    {
        private readonly object gate = new();
        private List<string>? verified;

        public async Task<(HttpStatusCode Status, string? Error, List<string> Verified)> CountAsync(Func<Task<(HttpStatusCode, string?)>> attempt)
        {
            ArgumentNullException.ThrowIfNull(attempt);
            var list = new List<string>();
            lock (gate)
            {
                verified = list;
            }

            try
            {
                var (status, error) = await attempt();
                lock (gate)
                {
                    return (status, error, [.. list]);
                }
            }
            finally
            {
                lock (gate)
                {
                    verified = null;
                }
            }
        }

        public void Verified(string hash)
        {
            lock (gate)
            {
                verified?.Add(hash);
            }
        }
    }

    private sealed class CountingHasher(IPasswordHasher<AppUser> inner, HashCounter counter) : IPasswordHasher<AppUser>
    {
        public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            counter.Verified(hashedPassword);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
