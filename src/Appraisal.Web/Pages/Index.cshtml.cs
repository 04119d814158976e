using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Appraisal.Web.Pages;

public sealed class IndexModel(TodoList todo) : PageModel
{
    public List<TodoItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await todo.ForAsync(Actor.From(User), ct);
}
