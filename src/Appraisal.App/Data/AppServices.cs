using Appraisal.App.Audit;
using Appraisal.App.Files.Exports;
using Microsoft.AspNetCore.Identity;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Reminders;
using Appraisal.App.Results;
using Appraisal.App.Sheets;

namespace Appraisal.App.Data;

/// <summary>
/// The commands, queries and access functions of the product, registered once for both hosts (the web
/// application and the command line's batch verbs), so that both run the same rules (D16, D19).
/// </summary>
public static class AppServices
{
    /// <summary>The rules for accounts (password length, lockout), the same wherever accounts are made or checked.</summary>
    public static void AccountRules(IdentityOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Password.RequiredLength = 8;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = false;
    }

    /// <summary>Adds every command, <c>Read…</c> query and access function (scoped: one per request or batch job).</summary>
    public static IServiceCollection AddAppCommands(this IServiceCollection services)
    {
        services.AddScoped<Access>();
        services.AddScoped<SheetAccess>();
        services.AddScoped<ReadSheet>();
        services.AddScoped<ResultAccess>();
        services.AddScoped<ReadResults>();
        services.AddScoped<ReadAppeals>();
        services.AddScoped<PayAccess>();
        services.AddScoped<ReadPeople>();
        services.AddScoped<AuditLog>();
        services.AddScoped<PolicyStore>();
        services.AddScoped<CompanyClock>();
        services.AddScoped<OpenMonth>();
        services.AddScoped<ConfirmMonth>();
        services.AddScoped<ReadActionSummary>();
        services.AddScoped<ReopenMonth>();
        services.AddScoped<SaveSheet>();
        services.AddScoped<ComputeResults>();
        services.AddScoped<DraftPolicy>();
        services.AddScoped<EditPolicyDraft>();
        services.AddScoped<ApprovePolicy>();
        services.AddScoped<DatabaseStart>();
        services.AddScoped<TodoList>();
        services.AddScoped<SavePerson>().AddScoped<SaveTeam>();
        services.AddScoped<ManageAccounts>();

        // Months, sheets, facts
        services.AddScoped<RecordFeedbackTalk>();
        services.AddScoped<SaveFacts>();
        services.AddScoped<Files.ImportUploads>().AddScoped<Files.ImportServices>().AddScoped<Files.ImportPlanner>().AddScoped<Files.PreviewImport>().AddScoped<Files.ConfirmImport>();
        services.AddScoped<ReadFacts>();
        services.AddScoped<ReadTeamProgress>();
        services.AddScoped<AddPayAdjustment>();
        services.AddScoped<ExtendWindow>();

        // Results, pay, reviews
        services.AddScoped<ReadMonthOverview>();
        services.AddScoped<ReadPayslip>();
        services.AddScoped<ReadHistory>();
        services.AddScoped<ReadReviews>();
        services.AddScoped<ReadDecisions>();
        services.AddScoped<AcknowledgeResult>();
        services.AddScoped<FileAppeal>();
        services.AddScoped<DecideAppeal>();
        services.AddScoped<DecideFlagReview>();
        services.AddScoped<AddReviewStep>();
        services.AddScoped<ReadAuditLog>().AddScoped<ReadPersonalData>();

        // Dashboards (issue 9)
        services.AddScoped<Dashboards.ReadManagerDashboard>().AddScoped<Dashboards.ReadHrDashboard>()
            .AddScoped<Dashboards.ReadSupervisorDashboard>().AddScoped<Dashboards.ReadAgentDashboard>();

        // Files
        services.AddExports();
        services.AddReminders();
        services.AddSingleton<Files.Pdf.PdfFont>().AddScoped<Files.Pdf.ReadKpiForms>().AddScoped<Files.Pdf.PrintForms>();
        return services;
    }
}
