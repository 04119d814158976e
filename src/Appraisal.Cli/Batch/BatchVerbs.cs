using System.CommandLine;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.Web.Data;
using Appraisal.Web.Files.Exports;
using Appraisal.Web.People;
using Appraisal.Web.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Cli.Batch;

/// <summary>
/// The batch verbs over the web application's own commands (<see cref="BatchHost"/>): <c>import</c>, <c>export</c>
/// and <c>print</c>. Each takes <c>--as USER</c> and the settings options; files are written whole or not at all.
/// </summary>
internal static class BatchVerbs
{
    public static void AddTo(RootCommand root, TextWriter stderr)
    {
        root.Add(Export(stderr));
    }

    private static Command Export(TextWriter stderr)
    {
        var (user, config, settings) = CommonOptions();
        var kind = new Argument<string>("KIND")
        {
            Description = "overview 月度总览、payrun 工资表、history 个人历史、audit 审计日志、decisions 决策清单 (what to export)",
        };
        kind.AcceptOnlyFromAmong("overview", "payrun", "history", "audit", "decisions");
        var month = MonthOption(required: false);
        var person = new Option<string?>("--person") { Description = "员工编号（history 用）(employee number, for history)", HelpName = "EMPNO" };
        var list = new Option<string?>("--list") { Description = "决策清单（decisions 用）：promotion、training、pay、reviews (decision list)" };
        list.AcceptOnlyFromAmong([.. ReadDecisions.Lists]);
        var format = new Option<string?>("--format") { Description = "xlsx 或 csv；缺省按 --out 的扩展名，否则 xlsx (xlsx or csv; by default from --out's extension, else xlsx)" };
        format.AcceptOnlyFromAmong("xlsx", "csv");
        var output = OutputOption();
        var export = new Command("export", "导出文件：月度总览、工资表、个人历史、审计日志、决策清单 (export the month overview, pay run, a person's history, the audit log or a decision list)")
        {
            kind, month, person, list, format, output, user, config, settings,
        };
        export.Validators.Add(r =>
        {
            var what = r.GetValue(kind);
            if (what is "overview" or "payrun" or "audit" or "decisions" && r.GetResult(month) is null)
            {
                r.AddError($"export {what} 需要 --month (needs --month)");
            }

            if (what == "history" && r.GetValue(person) is null)
            {
                r.AddError("export history 需要 --person 员工编号 (needs --person EMPNO)");
            }

            if (what == "decisions" && r.GetValue(list) is null)
            {
                r.AddError("export decisions 需要 --list (needs --list)");
            }
        });
        export.SetAction((parse, ct) => BatchHost.RunAsync(Options(parse, user, config, settings), stderr, async (services, actor, token) =>
        {
            var path = parse.GetValue(output)!;
            var as_ = parse.GetValue(format) ?? (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "xlsx");
            var table = await ExportTableAsync(services, actor, parse.GetValue(kind)!, parse.GetValue(month), parse.GetValue(person), parse.GetValue(list), token);
            return await WriteFileAsync(path, (stream, t) => table.WriteAsync(ExportFormats.Parse(as_), stream, t), stderr, token);
        }, ct));
        return export;
    }

    /// <summary>The same export commands as the download links, with their access checks and audit.</summary>
    private static async Task<ExportTable> ExportTableAsync(IServiceProvider services, Actor actor, string kind, YearMonth month, string? employeeNo, string? list, CancellationToken ct)
    {
        switch (kind)
        {
            case "overview":
                return await services.GetRequiredService<ExportMonthOverview>().ExecuteAsync(actor, month, ct);
            case "payrun":
                return await services.GetRequiredService<ExportPayRun>().ExecuteAsync(actor, month, ct);
            case "audit":
                return await services.GetRequiredService<ExportAuditLog>().ExecuteAsync(actor, month, ct);
            case "history":
                var db = services.GetRequiredService<AppDbContext>();
                var id = await db.People.AsNoTracking().Where(p => p.EmployeeNo == employeeNo).Select(p => (int?)p.Id).SingleOrDefaultAsync(ct)
                    ?? throw new UserError($"没有员工编号为“{employeeNo}”的人员", $"nobody has the employee number \"{employeeNo}\"", 404);
                return await services.GetRequiredService<ExportHistory>().ExecuteAsync(actor, id, ct);
            default:
                var decisions = await services.GetRequiredService<ReadDecisions>().ExecuteAsync(actor, month, $"export {list} (command line)", ct);
                return DecisionsFile.Table(decisions, list!, services.GetRequiredService<ExportTitles>());
        }
    }

    private static (Option<string> User, Option<string?> Config, Option<string[]> Settings) CommonOptions() =>
        (new Option<string>("--as") { Description = "以哪个账户运行（其角色决定权限，审计记录此账户）(the account the job runs as)", Required = true, HelpName = "USER" },
         new Option<string?>("--config") { Description = "额外的设置文件 JSON (an extra settings file)", HelpName = "FILE" },
         new Option<string[]>("--setting") { Description = "单项设置，可重复，如 ConnectionStrings:Sqlite=\"Data Source=/srv/appraisal.db\" (a setting Key=Value; repeatable)", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false });

    private static Option<YearMonth> MonthOption(bool required = true) => new("--month")
    {
        Description = "考核月份 YYYY-MM (the month)",
        Required = required,
        HelpName = "YYYY-MM",
        CustomParser = r => YearMonth.TryParse(r.Tokens.Single().Value, out var m) ? m : Fail(r, $"月份“{r.Tokens.Single().Value}”无效：应为 YYYY-MM (not a month: expected YYYY-MM)"),
    };

    private static Option<string> OutputOption() => new("--out")
    {
        Description = "输出文件；- 表示标准输出 (output file; - for standard output)",
        Required = true,
        HelpName = "FILE",
    };

    private static YearMonth Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static BatchOptions Options(ParseResult parse, Option<string> user, Option<string?> config, Option<string[]> settings) =>
        new(parse.GetValue(user)!, parse.GetValue(config), parse.GetValue(settings) ?? []);

    /// <summary>Writes the whole file beside its target and renames it into place: never half a file under the name asked for.</summary>
    internal static async Task<int> WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, TextWriter stderr, CancellationToken ct)
    {
        if (path == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await write(stdout, ct);
            return CliApp.Ok;
        }

        var full = Path.GetFullPath(path);
        var temp = full + ".part";
        long length;
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(file, ct);
                length = file.Length;
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            stderr.WriteLine($"无法写入 cannot write {path}: {ex.Message}");
            return CliApp.BadInput;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        stderr.WriteLine($"已写入 written: {full} ({length:N0} 字节 bytes)");
        return CliApp.Ok;
    }
}
