using System.CommandLine;
using Appraisal.Core.Months;
using Appraisal.Web.Results;
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
        var month = MonthOption();
        var output = OutputOption();
        var list = new Option<string>("--list")
        {
            Description = "决策清单：promotion 晋升、training 培训、pay 岗位工资变化、reviews 人事复核 (decision list)",
            Required = true,
        };
        list.AcceptOnlyFromAmong([.. ReadDecisions.Lists]);
        var decisions = new Command("decisions", "导出已确认月份的决策清单 (.xlsx) (export a confirmed month's decision list)")
        {
            month, list, output, user, config, settings,
        };
        decisions.SetAction((parse, ct) => BatchHost.RunAsync(Options(parse, user, config, settings), stderr, async (services, actor, token) =>
        {
            var read = await services.GetRequiredService<ReadDecisions>().ExecuteAsync(actor, parse.GetValue(month), $"export {parse.GetValue(list)} (command line)", token);
            var bytes = DecisionsExcel.Write(read, parse.GetValue(list)!);
            return await WriteFileAsync(parse.GetValue(output)!, (stream, t) => stream.WriteAsync(bytes, t).AsTask(), stderr, token);
        }, ct));

        return new Command("export", "导出文件 (export files)") { decisions };
    }

    private static (Option<string> User, Option<string?> Config, Option<string[]> Settings) CommonOptions() =>
        (new Option<string>("--as") { Description = "以哪个账户运行（其角色决定权限，审计记录此账户）(the account the job runs as)", Required = true, HelpName = "USER" },
         new Option<string?>("--config") { Description = "额外的设置文件 JSON (an extra settings file)", HelpName = "FILE" },
         new Option<string[]>("--setting") { Description = "单项设置，可重复，如 ConnectionStrings:Sqlite=\"Data Source=/srv/appraisal.db\" (a setting Key=Value; repeatable)", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false });

    private static Option<YearMonth> MonthOption() => new("--month")
    {
        Description = "考核月份 YYYY-MM (the month)",
        Required = true,
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
