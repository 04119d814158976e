using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.People;

/// <summary>An account in the administrator's list.</summary>
public sealed record AccountRow(string Id, string UserName, string? Person, string? EmployeeNo, string Roles, DateTimeOffset? LockedUntil, string? Email = null,
    string? Version = null, bool PersonMaySignIn = true);

/// <summary>The administrator's page: every sign-in account, new accounts, password resets, locking out and unlocking.</summary>
public sealed class AccountsModel(AppDbContext db, ManageAccounts accounts, TimeProvider clock, App.Months.CompanyClock company) : GuardedPageModel
{
    /// <summary>
    /// Set by the first press of 停用: the page says what locking the account out does and asks once; nothing changes
    /// until the panel's own button is pressed (works without script).
    /// </summary>
    public AccountRow? Pending { get; private set; }

    public IReadOnlyList<AccountRow> Rows { get; private set; } = [];

    /// <summary>Part of a user name, a person's name or an employee number, as typed into the search.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>The page of accounts shown (100 each: a company of 20 000 accounts is no single page, issue 10).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The page of accounts shown, with how many match the search and how many there are.</summary>
    public App.PageOf<AccountRow> Accounts { get; private set; } = new([], 1, App.Paging.Size, 0, 0);

    /// <summary>The links of the accounts' pages, the search kept.</summary>
    public PagerView Pager => new("/People/Accounts", new Dictionary<string, string> { ["q"] = Query ?? string.Empty }, Accounts.Number, Accounts.Count);

    // The one account the lock-out question is about, whatever page it is on.
    private string? only;

    public IReadOnlyList<(string EmployeeNo, string Name)> WithoutAccount { get; private set; } = [];

    public DateTimeOffset Now => clock.GetUtcNow();

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostCreateAsync(string userName, string password, string employeeNo, CancellationToken ct) =>
        ChangeAsync(
            async () =>
            {
                await accounts.CreateAsync(Me, userName ?? string.Empty, password ?? string.Empty, employeeNo ?? string.Empty, ct);
                return T($"已创建账户 {userName}", $"account {userName} created");
            },
            () => LoadAsync(ct),
            "/People/Accounts");

    public Task<IActionResult> OnPostResetAsync(string userId, string password, CancellationToken ct) =>
        ChangeAsync(
            async () =>
            {
                await accounts.ResetPasswordAsync(Me, userId, password ?? string.Empty, ct);
                return T("密码已重置，账户已解锁", "password reset and account unlocked");
            },
            () => LoadAsync(ct),
            "/People/Accounts");

    public Task<IActionResult> OnPostEmailAsync(string userId, string? email, CancellationToken ct) =>
        ChangeAsync(
            async () =>
            {
                await accounts.SetEmailAsync(Me, userId, email, ct);
                return string.IsNullOrWhiteSpace(email) ? T("电子邮箱已清除", "e-mail address removed") : T($"电子邮箱已保存：{email.Trim()}", $"e-mail address saved: {email.Trim()}");
            },
            () => LoadAsync(ct),
            "/People/Accounts");

    public Task<IActionResult> OnPostUnlockAsync(string userId, CancellationToken ct) =>
        ChangeAsync(
            async () =>
            {
                await accounts.UnlockAsync(Me, userId, ct);
                return T("账户已解锁", "account unlocked");
            },
            () => LoadAsync(ct),
            "/People/Accounts");

    public async Task<IActionResult> OnPostLockAsync(string userId, string? version, bool confirmed, CancellationToken ct)
    {
        if (!confirmed)
        {
            return await ReadAsync(async () =>
            {
                only = userId;
                await LoadAsync(ct);
                Pending = Rows.FirstOrDefault(r => r.Id == userId) ?? throw UserError.NotFound();
                if (Pending.Version != version)
                {
                    throw UserError.Conflict();
                }
            });
        }

        return await ChangeAsync(
            async () =>
            {
                var name = await accounts.LockAsync(Me, userId, version, ct);
                return T($"账户 {name} 已停用：其所有会话已结束，解锁前不能登录", $"account {name} locked out: all its sessions have ended, and it cannot sign in until unlocked");
            },
            () => LoadAsync(ct),
            "/People/Accounts");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!Me.IsAdmin)
        {
            throw UserError.Forbidden();
        }

        var users = db.Users.AsNoTracking();
        if (only is not null)
        {
            users = users.Where(u => u.Id == only);
        }
        else if (App.Paging.Search(Query) is { } q)
        {
            // Translated to SQL (upper(…) and a substring search by the database), as the other long lists search.
#pragma warning disable CA1304, CA1311, CA1862
            users = q.Length > App.Paging.MaxQueryLength ? users.Where(_ => false) : users.Where(u => u.UserName!.ToUpper().Contains(q)
                || (u.Person != null && (u.Person.Name.ToUpper().Contains(q) || u.Person.EmployeeNo.ToUpper().Contains(q))));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var page = await App.Paging.ReadAsync(users.OrderBy(u => u.UserName).ThenBy(u => u.Id)
            .Select(u => new
            {
                u.Id, u.UserName, Person = u.Person != null ? u.Person.Name : null, No = u.Person != null ? u.Person.EmployeeNo : null, u.LockoutEnd, u.Email,
                u.ConcurrencyStamp, Active = u.Person == null || u.Person.Active, Left = u.Person != null ? u.Person.LeaveDate : null,
            }), PageNumber, await db.Users.CountAsync(ct), ct);
        var ids = page.Rows.Select(u => u.Id).ToList();
        // Each account's roles by dictionary, only the page's: a company of 20 000 accounts was a search of every role
        // row per account (issue 10).
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name!);
        var today = company.Today;
        Rows = [.. page.Rows.Select(u => new AccountRow(u.Id, u.UserName ?? string.Empty, u.Person, u.No,
            string.Join("/", roles[u.Id].Select(r => T(Roles.DisplayZh(r), Roles.DisplayEn(r)))), u.LockoutEnd, u.Email,
            u.ConcurrencyStamp, SignInRule.PersonMaySignIn(u.Active, u.Left, today)))];
        Accounts = new App.PageOf<AccountRow>(Rows, page.Number, page.Size, page.Matching, page.Total);
        WithoutAccount = [.. (await db.People.AsNoTracking().Where(p => p.Active && !db.Users.Any(u => u.PersonId == p.Id)).OrderBy(p => p.EmployeeNo)
            .Select(p => new { p.EmployeeNo, p.Name }).ToListAsync(ct)).Select(p => (p.EmployeeNo, p.Name))];
    }
}
