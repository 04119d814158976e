// A company of thousands on top of the demo company, for the facts page's tests (tests/Appraisal.Web.Tests,
// tests/Appraisal.BrowserTests) and its benchmark (bench/Appraisal.Bench.Facts), compiled into each as a linked
// file: the same generated people and facts everywhere.
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Bench;

/// <summary>
/// Adds agents to the company: distinct Chinese names, employee numbers <c>A00001</c>…, teams of
/// <c>teamSize</c> under their own supervisor (热线1组…), hired a year before the month, and the month's facts
/// entered for most of them (varied plans and actuals to the fen, a few absences). Deterministic for a seed.
/// </summary>
public static class ManyAgents
{
    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
    ];

    private static readonly string[] Given =
    [
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
        "平", "刚", "桂英", "华", "建国", "玉兰", "婷", "雪", "慧", "鑫", "宇", "浩", "晨", "欣怡", "子涵", "梓萱", "一诺", "思远", "嘉怡", "俊杰",
        "佳琪", "雨桐", "晓东", "海燕", "志强", "春梅", "文博", "国庆", "红梅", "凤英", "立新", "丹", "蕾", "颖", "琳", "倩", "亮", "斌", "宁", "博",
    ];

    private static readonly string[] Tail = ["", "青", "妍", "然", "航", "睿", "瑶", "凯", "萌", "帆"];

    /// <summary>The <paramref name="index"/>-th name: distinct for the first 24 000 (surname × given name × a last character).</summary>
    public static string Name(int index)
    {
        var surname = Surnames[index % Surnames.Length];
        var rest = index / Surnames.Length;
        return surname + Given[rest % Given.Length] + Tail[rest / Given.Length % Tail.Length];
    }

    /// <summary>Names from here on have three characters, so that none is one of the demo company's two-character names.</summary>
    public const int Offset = 40 * 60;

    /// <summary>The name of the <paramref name="index"/>-th agent added.</summary>
    public static string AgentName(int index) => Name(index + Offset);

    /// <summary>The employee number of the <paramref name="index"/>-th agent added.</summary>
    public static string EmployeeNo(int index) => $"A{index + 1:D5}";

    /// <summary>
    /// Adds <paramref name="count"/> agents in teams of <paramref name="teamSize"/> to the company and, when
    /// <paramref name="withFacts"/>, their facts of <paramref name="month"/> (YYYY-MM, an open month that exists).
    /// Returns the new teams' ids in order.
    /// </summary>
    public static async Task<List<int>> AddAsync(IServiceProvider services, string month, int count, int teamSize = 100, bool withFacts = true, int seed = 20261208)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var first = new DateOnly(int.Parse(month[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(month[5..], System.Globalization.CultureInfo.InvariantCulture), 1);
        var hired = first.AddYears(-1);
        var monthId = await db.Months.Where(m => m.Month == month).Select(m => m.Id).SingleAsync();

        await using var transaction = await db.Database.BeginTransactionAsync();
        var teams = new List<Team>();
        var teamCount = Math.Max(1, (count + teamSize - 1) / teamSize);
        for (var t = 0; t < teamCount; t++)
        {
            var supervisor = new Person { EmployeeNo = $"L{t + 1:D3}", Name = "主管" + Name(t + (7 * Offset)), Role = Roles.Supervisor, HireDate = hired.AddYears(-2) };
            db.People.Add(supervisor);
            await db.SaveChangesAsync();
            var team = new Team { Name = $"热线{t + 1}组", SupervisorId = supervisor.Id };
            db.Teams.Add(team);
            teams.Add(team);
        }

        await db.SaveChangesAsync();
        var people = new List<Person>(count);
        for (var i = 0; i < count; i++)
        {
            var person = new Person { EmployeeNo = EmployeeNo(i), Name = AgentName(i), Role = Roles.Agent, TeamId = teams[i / teamSize].Id, HireDate = hired.AddDays(-(i % 300)) };
            people.Add(person);
            db.People.Add(person);
        }

        await db.SaveChangesAsync();
        if (withFacts)
        {
            var random = new Random(seed);
            var now = DateTime.UtcNow;
            foreach (var person in people)
            {
                // One in twenty not entered yet; plans of 50 000–200 000 in steps of 5 000, actuals about ±25 % around them.
                if (random.NextDouble() < 0.05)
                {
                    continue;
                }

                var plan = 50_000m + (random.Next(0, 31) * 5_000m);
                var roll = random.NextDouble();
                db.Facts.Add(new MonthFacts
                {
                    MonthId = monthId,
                    PersonId = person.Id,
                    SalesPlan = plan,
                    SalesActual = Math.Round(plan * (decimal)(0.75 + (random.NextDouble() * 0.5)), 2),
                    AbsentDays = roll < 0.85 ? 0 : roll < 0.95 ? random.Next(1, 4) : random.Next(4, 11),
                    UpdatedAt = now,
                    UpdatedBy = "hr",
                });
            }

            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        return teams.Select(t => t.Id).ToList();
    }
}
