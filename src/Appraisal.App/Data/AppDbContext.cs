using Appraisal.App.Audit;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Appraisal.App.Data;

/// <summary>
/// The one database of the product. The provider comes from configuration; the two thin subclasses
/// exist only so that each provider keeps its own migration set. It also keeps the keys that protect cookies and
/// antiforgery tokens (<see cref="IDataProtectionKeyContext"/>), so that every instance of the application over this
/// database reads the sessions of the others (issue 10 §3).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Person> People => Set<Person>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<AppraisalMonth> Months => Set<AppraisalMonth>();

    public DbSet<MonthFacts> Facts => Set<MonthFacts>();

    public DbSet<WindowExtension> WindowExtensions => Set<WindowExtension>();

    public DbSet<Sheet> Sheets => Set<Sheet>();

    public DbSet<SheetItem> SheetItems => Set<SheetItem>();

    public DbSet<FeedbackTalk> FeedbackTalks => Set<FeedbackTalk>();

    public DbSet<PayAdjustment> PayAdjustments => Set<PayAdjustment>();

    public DbSet<StoredResult> Results => Set<StoredResult>();

    public DbSet<Appeal> Appeals => Set<Appeal>();

    public DbSet<Acknowledgement> Acknowledgements => Set<Acknowledgement>();

    public DbSet<FlagReview> FlagReviews => Set<FlagReview>();

    public DbSet<ReviewStep> ReviewSteps => Set<ReviewStep>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<Reminders.OutboxMessage> Outbox => Set<Reminders.OutboxMessage>();

    /// <summary>The data-protection key ring (ASP.NET Core's own rows: key id, XML), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Failed sign-ins per account and address (issue 7 §3), shared by every instance.</summary>
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    /// <summary>When each periodic job last ran, so that one instance of several runs it (issue 10 §3).</summary>
    public DbSet<JobLease> JobLeases => Set<JobLease>();

    /// <summary>Files previewed for import and not yet confirmed (issue 10 §3: any instance may take the confirmation).</summary>
    public DbSet<Files.ImportUpload> ImportUploads => Set<Files.ImportUpload>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored and read back as UTC on every provider (SQLite would lose the kind).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        foreach (var entity in builder.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(entity.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        }

        builder.Entity<Person>(e =>
        {
            e.HasIndex(p => p.EmployeeNo).IsUnique();
            e.Property(p => p.EmployeeNo).HasMaxLength(32);
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Role).HasMaxLength(32);
            e.HasOne(p => p.Team).WithMany(t => t.Members).HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<Team>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(100);
            e.HasOne(t => t.Supervisor).WithMany().HasForeignKey(t => t.SupervisorId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<AppUser>().HasOne(u => u.Person).WithMany().HasForeignKey(u => u.PersonId).OnDelete(DeleteBehavior.SetNull);
        builder.Entity<AppraisalMonth>(e =>
        {
            // D16: a month's own updates (compute, confirm, reopen) also fail when its data changed since read.
            e.Property(m => m.DataVersion).IsConcurrencyToken();
            e.HasIndex(m => m.Month).IsUnique();
            e.Property(m => m.Month).HasMaxLength(7);
        });
        builder.Entity<MonthFacts>(e =>
        {
            e.HasIndex(f => new { f.MonthId, f.PersonId }).IsUnique();
            e.Property(f => f.OverrideReason).HasMaxLength(SaveFacts.MaxReasonLength);
        });
        builder.Entity<WindowExtension>().Property(x => x.Reason).HasMaxLength(ExtendWindow.MaxReasonLength);
        builder.Entity<Sheet>(e =>
        {
            e.HasIndex(s => new { s.MonthId, s.PersonId, s.Kind }).IsUnique();
            e.Property(s => s.Comment).HasMaxLength(SaveSheet.MaxCommentLength);
            e.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SheetId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SheetItem>(e =>
        {
            e.HasIndex(i => new { i.SheetId, i.ItemKey }).IsUnique();
            e.Property(i => i.Comment).HasMaxLength(SaveSheet.MaxItemCommentLength);
        });
        builder.Entity<FeedbackTalk>(e =>
        {
            e.HasIndex(f => new { f.MonthId, f.PersonId }).IsUnique();
            e.Property(f => f.Notes).HasMaxLength(RecordFeedbackTalk.MaxNotesLength);
        });
        builder.Entity<PayAdjustment>(e =>
        {
            e.HasIndex(a => new { a.MonthId, a.PersonId });
            e.Property(a => a.Reason).HasMaxLength(AddPayAdjustment.MaxReasonLength);
        });
        builder.Entity<StoredResult>(e =>
        {
            e.HasIndex(r => new { r.MonthId, r.PersonId }).IsUnique();
            e.HasOne(r => r.Person).WithMany().HasForeignKey(r => r.PersonId);
            e.HasOne(r => r.Team).WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<Appeal>(e =>
        {
            e.HasIndex(a => new { a.MonthId, a.PersonId });
            e.Property(a => a.Reason).HasMaxLength(FileAppeal.MaxReasonLength);
            e.Property(a => a.Decision).HasMaxLength(FileAppeal.MaxReasonLength);
        });
        builder.Entity<Acknowledgement>().HasIndex(a => new { a.MonthId, a.PersonId }).IsUnique();
        builder.Entity<FlagReview>(e =>
        {
            e.Property(r => r.Decision).HasMaxLength(DecideFlagReview.MaxLength);
            e.HasIndex(r => new { r.MonthId, r.PersonId, r.Flag }).IsUnique();
            e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.FlagReviewId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ReviewStep>().Property(s => s.Note).HasMaxLength(DecideFlagReview.MaxLength);
        builder.Entity<PolicyVersion>(e =>
        {
            e.HasIndex(p => p.VersionName).IsUnique();
            e.Property(p => p.Note).HasMaxLength(EditPolicyDraft.MaxNoteLength);
        });
        builder.Entity<AuditEntry>(AuditEntry.Configure);
        builder.Entity<Reminders.OutboxMessage>(Reminders.OutboxModel.Configure);
        builder.Entity<SignInFailure>(SignInFailure.Configure);
        builder.Entity<JobLease>(JobLease.Configure);
        builder.Entity<Files.ImportUpload>(Files.ImportUpload.Configure);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BeforeSave();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BeforeSave();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void BeforeSave()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            // The audit log is append-only: history that can be rewritten proves nothing.
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit log is append-only.");
            }

            // Optimistic concurrency on both providers: the stored Version must still be the one read.
            if (entry.Entity is IVersioned versioned && entry.State == EntityState.Modified)
            {
                versioned.Version++;
            }
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The SQLite shape of <see cref="AppDbContext"/>, with its migrations.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

/// <summary>The PostgreSQL shape of <see cref="AppDbContext"/>, with its migrations.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
