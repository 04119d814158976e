using System.Globalization;
using Appraisal.Core.Policy;

namespace Appraisal.App.Files;

/// <summary>What a file imports (issue 8 §1).</summary>
public enum ImportKind
{
    /// <summary>The month's sales plan and actual (第九条).</summary>
    Sales,

    /// <summary>The month's absence days (第二条).</summary>
    Absence,

    /// <summary>The month's pay adjustments (其他, 第十条): amount and reason.</summary>
    Adjustments,

    /// <summary>People and teams: employee number, name, team, supervisor, hiring and leaving dates.</summary>
    People,

    /// <summary>Past months' appraisals: every item's self and supervisor score, sales and absence.</summary>
    History,
}

/// <summary>How a column's cells are read.</summary>
public enum CellKind
{
    Text,

    /// <summary>An amount in yuan ≥ 0.</summary>
    Money,

    /// <summary>An amount in yuan, negative for a deduction.</summary>
    SignedMoney,

    /// <summary>A whole number (days, points).</summary>
    Whole,

    Date,

    Month,
}

/// <summary>One column of an import: its key, its header in both languages (either is accepted), how it is read, an example.</summary>
public sealed record ImportColumn(string Key, string Zh, string En, CellKind Kind, bool Required, object Example, params string[] Aliases)
{
    /// <summary>What else the template's instructions and the import page say about the column, or null.</summary>
    public (string Zh, string En)? Note { get; init; }

    /// <summary>What a cell of this column must hold, for the problem list.</summary>
    public (string Zh, string En) Expected => Kind switch
    {
        CellKind.Money => ("不小于 0 的金额（元），如 12345.60", "an amount in yuan ≥ 0, such as 12345.60"),
        CellKind.SignedMoney => ("金额（元），扣款为负数，如 -50", "an amount in yuan, negative for a deduction, such as -50"),
        CellKind.Whole => ("整数", "a whole number"),
        CellKind.Date => ("日期，如 2026-01-15", "a date, such as 2026-01-15"),
        CellKind.Month => ("月份，如 2026-01", "a month, such as 2026-01"),
        _ => ("文字", "text"),
    };
}

/// <summary>The sheet and columns of one kind of import; the template is written from it and files are read by it.</summary>
public sealed record ImportLayout(ImportKind Kind, string SheetZh, string SheetEn, IReadOnlyList<ImportColumn> Columns)
{
    public const string EmployeeNo = "employeeNo";
    public const string Name = "name";

    public IReadOnlyList<string> SheetNames => [SheetZh, SheetEn];

    /// <summary>The file name of the template, without extension.</summary>
    public string TemplateName => Kind switch
    {
        ImportKind.Sales => "sales-template",
        ImportKind.Absence => "absence-template",
        ImportKind.Adjustments => "adjustments-template",
        ImportKind.People => "people-template",
        _ => "history-template",
    };

    /// <summary>The kind's name on screen.</summary>
    public static (string Zh, string En) Title(ImportKind kind) => kind switch
    {
        ImportKind.Sales => ("销售计划与实际销售额", "sales plan and actual"),
        ImportKind.Absence => ("缺岗天数", "absence days"),
        ImportKind.Adjustments => ("工资调整（其他）", "pay adjustments (other pay)"),
        ImportKind.People => ("人员与组别", "people and teams"),
        _ => ("以往月份的考核记录", "past months' appraisals"),
    };

    /// <summary>The kind as written in a URL (sales, absence, adjustments, people, history).</summary>
    public static string Slug(ImportKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseSlug(string? text, out ImportKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    /// <summary>Whether the kind belongs to one open month (sales, absence, adjustments).</summary>
    public static bool IsMonthly(ImportKind kind) => kind is ImportKind.Sales or ImportKind.Absence or ImportKind.Adjustments;

    private static readonly ImportColumn No = new(EmployeeNo, "工号", "Employee no", CellKind.Text, true, "E001", "员工编号", "employee number", "no", "id");
    private static readonly ImportColumn PersonName = new(Name, "姓名", "Name", CellKind.Text, false, "张伟", "员工姓名");

    public static ImportLayout For(ImportKind kind, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return kind switch
        {
            ImportKind.Sales => new(kind, "销售", "Sales",
            [
                No, PersonName,
                new("salesPlan", "销售计划", "Sales plan", CellKind.Money, true, 80000m, "计划", "计划销售额", "plan"),
                new("salesActual", "实际销售额", "Actual sales", CellKind.Money, true, 92500.5m, "实际", "实际销售", "actual"),
            ]),
            ImportKind.Absence => new(kind, "缺岗", "Absence",
            [
                No, PersonName,
                new("absentDays", "缺岗天数", "Absence days", CellKind.Whole, true, 2, "缺岗", "absent days", "absence"),
            ]),
            ImportKind.Adjustments => new(kind, "工资调整", "Adjustments",
            [
                No, PersonName,
                new("amount", "金额", "Amount", CellKind.SignedMoney, true, 200m, "调整金额", "amount (yuan)"),
                new("reason", "原因", "Reason", CellKind.Text, true, "夜班补贴", "调整原因", "说明"),
            ]),
            ImportKind.People => new(kind, "人员", "People",
            [
                No,
                PersonName with { Required = true },
                new("team", "组别", "Team", CellKind.Text, false, "客服一组", "所属组别", "部门"),
                new("supervisor", "主管工号", "Supervisor no", CellKind.Text, false, "S001", "主管", "supervisor", "上级工号"),
                new("role", "角色", "Role", CellKind.Text, false, "客服", "岗位"),
                new("hireDate", "入职日期", "Hire date", CellKind.Date, true, new DateTime(2024, 3, 1), "入职", "hiring date"),
                new("leaveDate", "离职日期", "Leave date", CellKind.Date, false, string.Empty, "离职", "leaving date"),
                new("email", "邮箱", "Email", CellKind.Text, false, "zhang.wei@example.com", "电子邮箱", "e-mail", "email address", "mail")
                {
                    Note = ("登录账户的电子邮箱（提醒邮件发往这里）。此人须已有登录账户（由管理员在“账户”页创建），否则请留空；留空不改变已有的邮箱",
                        "the sign-in account's e-mail address (where reminders go). The person must already have an account (the administrator creates it on the Accounts page); otherwise leave it empty; an empty cell keeps the address held"),
                },
            ]),
            _ => new(kind, "历史", "History", HistoryColumns(policy)),
        };
    }

    private static List<ImportColumn> HistoryColumns(PolicyDocument policy)
    {
        var columns = new List<ImportColumn>
        {
            new("month", "月份", "Month", CellKind.Month, true, "2026-01", "考核月份"),
            No,
            PersonName,
        };
        var n = 0;
        foreach (var (prefix, zh, en, required) in new[] { ("self", "自评", "Self", false), ("supervisor", "主管", "Supervisor", true) })
        {
            foreach (var item in policy.Items)
            {
                var example = Math.Max(0, item.Max - (n++ % 3));
                columns.Add(new($"{prefix}.{item.Key}", $"{zh}·{item.Name.Zh}", $"{en}: {item.Name.En ?? item.Key}", CellKind.Whole, required, example,
                    $"{zh}-{item.Name.Zh}", $"{zh}{item.Name.Zh}", $"{prefix}.{item.Key}", $"{en} {item.Key}"));
            }
        }

        columns.Add(new("salesPlan", "销售计划", "Sales plan", CellKind.Money, true, 80000m, "计划", "plan"));
        columns.Add(new("salesActual", "实际销售额", "Actual sales", CellKind.Money, true, 92500.5m, "实际", "actual"));
        columns.Add(new("absentDays", "缺岗天数", "Absence days", CellKind.Whole, true, 0, "缺岗", "absence"));
        return columns;
    }

    /// <summary>A header as it is compared: no spaces, marks of required columns or units in brackets, case ignored.</summary>
    internal static string HeaderKey(string? text)
    {
        var t = CellText.Normalise(text) ?? string.Empty;
        var sb = new System.Text.StringBuilder(t.Length);
        var depth = 0;
        foreach (var c in t)
        {
            switch (c)
            {
                case '(' or '[' or '【':
                    depth++;
                    break;
                case ')' or ']' or '】':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ' ' or '*' or '_' or '：' or ':' when depth == 0:
                    break;
                default:
                    if (depth == 0)
                    {
                        sb.Append(char.ToLowerInvariant(c));
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The column whose header is <paramref name="header"/>, or null.</summary>
    public ImportColumn? Match(string? header)
    {
        var key = HeaderKey(header);
        if (key.Length == 0)
        {
            return null;
        }

        return Columns.FirstOrDefault(c => HeaderKey(c.Zh) == key || HeaderKey(c.En) == key || HeaderKey(c.Key) == key
            || c.Aliases.Any(a => HeaderKey(a) == key));
    }

    /// <summary>An example cell as the template shows it (invariant text for the CSV).</summary>
    public static string ExampleText(object example) => example switch
    {
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => example.ToString() ?? string.Empty,
    };
}
