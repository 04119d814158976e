using Appraisal.App.Dashboards;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Appraisal.Web.Pages;

/// <summary>The home page: each of the reader's roles' dashboard (issue 9), then the to-do list.</summary>
public sealed class IndexModel(TodoList todo, IServiceProvider services) : PageModel
{
    public List<TodoItem> Items { get; private set; } = [];

    public ManagerDashboard? Manager { get; private set; }

    public HrDashboard? Hr { get; private set; }

    public SupervisorDashboard? Supervisor { get; private set; }

    public AgentDashboard? Agent { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = Actor.From(User);
        if (me.IsGeneralManager)
        {
            Manager = await services.GetRequiredService<ReadManagerDashboard>().ExecuteAsync(me, ct);
        }

        if (me.IsHr)
        {
            Hr = await services.GetRequiredService<ReadHrDashboard>().ExecuteAsync(me, ct);
        }

        if (me.IsSupervisor && me.PersonId is not null)
        {
            Supervisor = await services.GetRequiredService<ReadSupervisorDashboard>().ExecuteAsync(me, ct);
        }

        if (me.IsAgent && me.PersonId is not null)
        {
            Agent = await services.GetRequiredService<ReadAgentDashboard>().ExecuteAsync(me, ct);
        }

        Items = await todo.ForAsync(me, ct);
    }
}
