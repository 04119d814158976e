using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Appraisal.App.People;

/// <summary>
/// Failed sign-ins to one account from one address (issue 7 §3: failures lock only the address they come from),
/// kept in the database so that every instance of the application counts the same failures (issue 10 §3): a
/// guesser sent to another instance by the load balancer is still locked out. A row lives for the lockout time
/// (<c>Lockout.DefaultLockoutTimeSpan</c>) after <see cref="Since"/> and is removed after it; it names the account
/// as typed and the client's address, and nothing about the person, so it is not part of their personal data.
/// </summary>
public sealed class SignInFailure
{
    public const int MaxAccountLength = 256;

    public const int MaxAddressLength = 64;

    /// <summary>The user name as typed, upper-cased (an account need not exist to be guessed at).</summary>
    public string Account { get; set; } = string.Empty;

    /// <summary>The client's address (behind a configured reverse proxy, the forwarded one).</summary>
    public string Address { get; set; } = string.Empty;

    public int Count { get; set; }

    /// <summary>When the count started, or when the last allowed failure made it a lock (UTC).</summary>
    public DateTime Since { get; set; }

    /// <summary>The account's security stamp when the failures were counted: a reset or an unlock (a new stamp) lifts the lock.</summary>
    public string? Stamp { get; set; }

    internal static void Configure(EntityTypeBuilder<SignInFailure> e)
    {
        e.HasKey(f => new { f.Account, f.Address });
        e.HasIndex(f => f.Since);
        e.Property(f => f.Account).HasMaxLength(MaxAccountLength);
        e.Property(f => f.Address).HasMaxLength(MaxAddressLength);
        e.Property(f => f.Stamp).HasMaxLength(256);
    }
}
