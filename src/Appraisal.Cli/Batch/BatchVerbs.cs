using System.CommandLine;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Files;
using Appraisal.App.Files.Exports;
using Appraisal.App.Files.Pdf;
using Appraisal.App.People;
using Appraisal.App.Results;
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
        root.Add(Import(stderr));
        root.Add(Export(stderr));
        root.Add(Print(stderr));
    }

    private static Command Import(TextWriter stderr)
    {
        var (user, config, settings) = CommonOptions();
        var kind = new Argument<string>("KIND") { Description = "sales 销售、absence 缺岗、adjustments 工资调整、people 人员与团队、history 以往月份的考核 (what the file holds)" };
        kind.AcceptOnlyFromAmong("sales", "absence", "adjustments", "people", "history");
        var file = new Argument<string>("FILE") { Description = ".xlsx 或 .csv（UTF-8 或 GB18030）文件 (the .xlsx or .csv file)" };
        var month = MonthOption(required: false);
        var dryRun = new Option<bool>("--dry-run") { Description = "只检查并列出将要修改的内容，不导入 (check and list what would change; import nothing)" };
        var import = new Command("import", "导入文件：先检查每一行，全部无误才在一个事务中导入 (import a file: every row is checked first; all of it is imported in one transaction, or nothing)")
        {
            kind, file, month, dryRun, user, config, settings,
        };
        import.Validators.Add(r =>
        {
            if (r.GetValue(kind) is "sales" or "absence" or "adjustments" && r.GetResult(month) is null)
            {
                r.AddError($"import {r.GetValue(kind)} 需要 --month (needs --month)");
            }
        });
        import.SetAction((parse, ct) => BatchHost.RunAsync(Options(parse, user, config, settings), stderr, async (services, actor, token) =>
        {
            var path = parse.GetValue(file)!;
            byte[] bytes;
            try
            {
                if (new FileInfo(path).Length > TableReader.MaxFileBytes)
                {
                    stderr.WriteLine($"{path}: 文件超过 {TableReader.MaxFileBytes / 1024 / 1024} MB (the file is larger than {TableReader.MaxFileBytes / 1024 / 1024} MB)");
                    return CliApp.BadInput;
                }

                bytes = await File.ReadAllBytesAsync(path, token);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{path}: 无法读取 (cannot be read: {ex.Message})");
                return CliApp.BadInput;
            }

            var chosen = Enum.Parse<ImportKind>(parse.GetValue(kind)!, ignoreCase: true);
            YearMonth? target = parse.GetResult(month) is null ? null : parse.GetValue(month);
            using var progress = new ConsoleProgress(stderr, "导入 import");
            progress.Report((0, 2));
            var check = await services.GetRequiredService<PreviewImport>().ExecuteAsync(actor, chosen, target, Path.GetFileName(path), bytes, int.MaxValue, token);
            progress.Report((1, 2));
            if (check.Preview is not { } preview)
            {
                // Every problem, as the page lists them; nothing was imported.
                stderr.WriteLine($"{check.FileName}: {check.Problems.Count} 处问题，未导入任何内容 ({check.Problems.Count} problems; nothing was imported)");
                foreach (var problem in check.Problems)
                {
                    stderr.WriteLine($"{problem.Where}（{problem.Header}）“{problem.Value}”: {problem.Zh} ({problem.En})");
                }

                return CliApp.BadInput;
            }

            var stdout = Console.Out;
            foreach (var row in preview.Rows.Where(r => r.Change != RowChange.Unchanged))
            {
                var changes = string.Join("；", row.Changes.Select(c => $"{c.Zh} {c.Old ?? "—"} → {c.New ?? "—"}"));
                await stdout.WriteLineAsync($"{(row.Change == RowChange.New ? "新增 new" : "修改 changed")}\t{row.Key}\t{row.Name}\t{changes}");
            }

            var summary = $"新增 {preview.New}，修改 {preview.Changed}，不变 {preview.Unchanged} (new {preview.New}, changed {preview.Changed}, unchanged {preview.Unchanged})";
            if (parse.GetValue(dryRun) || preview.ChangesNothing)
            {
                progress.Report((2, 2));
                stderr.WriteLine(preview.ChangesNothing ? $"{summary}：没有需要导入的修改 (nothing to change)" : $"{summary}：仅检查，未导入 (--dry-run: nothing imported)");
                return CliApp.Ok;
            }

            var outcome = await services.GetRequiredService<ConfirmImport>().ExecuteAsync(actor, preview.Token, token);
            progress.Report((2, 2));
            stderr.WriteLine($"{summary}：已导入 {outcome.Changed} 行 (imported {outcome.Changed} rows)");
            return CliApp.Ok;
        }, ct));
        return import;
    }

    private static Command Print(TextWriter stderr)
    {
        var (user, config, settings) = CommonOptions();
        var what = new Argument<string>("WHAT") { Description = "kpi 《客服 KPI 考核表》（每人一页）或 payslip 工资条 (the KPI forms, one page per person, or a payslip)" };
        what.AcceptOnlyFromAmong("kpi", "payslip");
        var month = MonthOption();
        var person = new Option<string?>("--person") { Description = "员工编号：只打印此人 (employee number: this person only; required for payslip)", HelpName = "EMPNO" };
        var team = new Option<string?>("--team") { Description = "团队名称：只打印此团队的考核表 (team name: this team's forms only)", HelpName = "NAME" };
        var output = OutputOption();
        var print = new Command("print", "打印为 PDF：KPI 考核表或工资条 (print the KPI forms or a payslip as PDF)")
        {
            what, month, person, team, output, user, config, settings,
        };
        print.Validators.Add(r =>
        {
            if (r.GetValue(what) == "payslip" && r.GetValue(person) is null)
            {
                r.AddError("print payslip 需要 --person 员工编号 (needs --person EMPNO)");
            }

            if (r.GetValue(person) is not null && r.GetValue(team) is not null)
            {
                r.AddError("--person 与 --team 只能选一个 (give --person or --team, not both)");
            }
        });
        print.SetAction((parse, ct) => BatchHost.RunAsync(Options(parse, user, config, settings), stderr, async (services, actor, token) =>
        {
            var forms = services.GetRequiredService<PrintForms>();
            var m = parse.GetValue(month);
            var db = services.GetRequiredService<AppDbContext>();
            int? personId = parse.GetValue(person) is { } no ? await ReadPeople.IdOfAsync(db, no, token) : null;
            int? teamId = parse.GetValue(team) is { } name
                ? await db.Teams.AsNoTracking().Where(t => t.Name == name).Select(t => (int?)t.Id).SingleOrDefaultAsync(token)
                    ?? throw new UserError($"没有名为“{name}”的团队", $"there is no team named \"{name}\"", 404)
                : null;
            using var progress = new ConsoleProgress(stderr, "打印 print");
            progress.Report((0, 1));
            var pages = 0;
            var code = await WriteFileAsync(parse.GetValue(output)!, async (stream, t) =>
            {
                if (parse.GetValue(what) == "payslip")
                {
                    await forms.PayslipAsync(actor, m, personId!.Value, stream, t);
                    pages = 1;
                }
                else if (personId is { } id)
                {
                    await forms.KpiFormAsync(actor, m, id, stream, t);
                    pages = 1;
                }
                else
                {
                    pages = await forms.KpiFormsAsync(actor, m, teamId, stream, t);
                }
            }, stderr, token);
            progress.Report((1, 1));
            if (code == CliApp.Ok)
            {
                stderr.WriteLine($"共 {pages} 页 ({pages} pages)");
            }

            return code;
        }, ct));
        return print;
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
            var chosen = parse.GetValue(format) ?? (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "xlsx");
            var table = await ExportTableAsync(services, actor, parse.GetValue(kind)!, parse.GetValue(month), parse.GetValue(person), parse.GetValue(list), token);
            return await WriteFileAsync(path, (stream, t) => table.WriteAsync(ExportFormats.Parse(chosen), stream, t), stderr, token);
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
                var id = await ReadPeople.IdOfAsync(services.GetRequiredService<AppDbContext>(), employeeNo!, ct);
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
