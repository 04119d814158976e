using System.ComponentModel;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Appraisal.App.Audit;

namespace Appraisal.Web.Audit;

/// <summary><c>GET /api/audit</c>: the audit log's search for HR and the general manager (D25); read only, like the log.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Audit").WithUserErrors();
        api.MapGet("/audit", SearchAsync)
            .WithName("SearchAudit")
            .WithSummary("Search the audit log, newest first (HR and the general manager, D25)")
            .WithDescription("Filters combine: who (account, or the person's name or employee number), what (an action key), from/to (instants with offset, "
                + "from inclusive, to exclusive), person (employee number or part of the name), month (YYYY-MM). Keyset paging: limit (1–200, default 50) "
                + "and before = the previous page's next.");
        return app;
    }

    public static async Task<Ok<AuditPageDto>> SearchAsync(
        ReadAuditLog read,
        HttpContext http,
        [Description("Who acted: account name, or the person's name or employee number")] string? who,
        [Description("An action key, e.g. facts.save")] string? what,
        [Description("From this instant (ISO 8601 with offset), inclusive")] DateTimeOffset? from,
        [Description("Until this instant (ISO 8601 with offset), exclusive")] DateTimeOffset? to,
        [Description("The person concerned: employee number or part of the name")] string? person,
        [Description("YYYY-MM")] string? month,
        [Description("The next of the previous page")] string? before,
        [Description("Entries per page, 1–200")] int? limit,
        CancellationToken ct)
    {
        var page = await read.ExecuteAsync(Actor.From(http.User),
            new AuditQuery(who, what, from?.UtcDateTime, to?.UtcDateTime, person, month, before, limit ?? ReadAuditLog.DefaultLimit), ct);
        return TypedResults.Ok(new AuditPageDto(page.Rows.Select(Dto).ToList(), page.Next));
    }

    private static AuditEntryDto Dto(AuditRow r)
    {
        var (zh, en) = AuditWords.ActionBoth(r.Action);
        return new AuditEntryDto(r.Id, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.User, r.UserPersonName, r.Action, zh, en, r.Month,
            r.PersonId, r.EmployeeNo, r.PersonName, r.Detail,
            r.Changes.Select(c =>
            {
                var (fzh, fen) = AuditWords.FieldBoth(c.Field);
                return new AuditChangeDto(c.Field, fzh, fen, c.Old, c.New);
            }).ToList());
    }
}
