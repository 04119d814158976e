using System.CommandLine;
using System.Text;
using Appraisal.Core;
using Appraisal.Core.Policy;
using Appraisal.Core.Results.Json;

namespace Appraisal.Cli;

/// <summary>
/// The command line over Core: <c>evaluate</c> (docs/evaluate.md) and <c>policy show|validate</c>.
/// Exit codes: 0 success, 2 bad input or usage, 1 internal error.
/// </summary>
public static class CliApp
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure of the program itself.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input, a bad file or bad usage.</summary>
    public const int BadInput = 2;

    /// <summary>Runs the command line with the given streams (tests pass their own).</summary>
    public static int Run(string[] args, TextReader stdinText, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        _ = stdinText;
        try
        {
            var root = Build(stdin, stdout, stderr);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    stderr.WriteLine($"用法错误 usage error: {error.Message}");
                }

                stderr.WriteLine("运行 appraisal --help 查看用法 (run appraisal --help for usage)");
                return BadInput;
            }

            // EnableDefaultExceptionHandler = false: System.CommandLine's own handler printed the
            // stack trace of an exception thrown by a command; the catch below gives one line and exit 1.
            return parse.Invoke(new InvocationConfiguration
            {
                Output = new StreamWriter(stdout(), new UTF8Encoding(false)) { AutoFlush = true },
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
#pragma warning disable CA1031 // The last line of defence: an internal error is a message and exit 1, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"内部错误 internal error: {ex.GetType().Name}: {ex.Message}");
            return InternalError;
        }
    }

    private static RootCommand Build(Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr)
    {
        var input = new Argument<string>("INPUT")
        {
            Description = "输入 JSON 文件，- 表示标准输入 (input JSON file, - for standard input)",
        };
        var policyOption = new Option<string?>("--policy")
        {
            Description = "策略 JSON 文件，缺省为内置的默认策略 (policy JSON file; defaults to the embedded policy)",
            HelpName = "POLICY.json",
        };
        var evaluate = new Command("evaluate", "计算一个或多个月的考核结果与工资，输出 JSON (compute appraisal results and pay for one or more months; JSON out)")
        {
            input,
            policyOption,
        };
        evaluate.SetAction(parse => Evaluate(parse.GetValue(input)!, parse.GetValue(policyOption), stdin, stdout, stderr));

        var show = new Command("show", "输出内置默认策略的 JSON (print the embedded default policy as JSON)");
        show.SetAction(_ => ShowPolicy(stdout));

        var file = new Argument<string>("FILE") { Description = "要检查的策略 JSON 文件 (policy JSON file to check)" };
        var validate = new Command("validate", "检查策略文件，列出所有问题 (check a policy file and list every problem)") { file };
        validate.SetAction(parse => ValidatePolicy(parse.GetValue(file)!, stdin, stdout, stderr));

        var policy = new Command("policy", "查看或检查考核策略 (show or check the appraisal policy)") { show, validate };

        return new RootCommand("客服绩效考核与薪酬 命令行 (Appraisal: customer-service appraisal and pay, command line)")
        {
            evaluate,
            policy,
        };
    }

    private static int Evaluate(string inputPath, string? policyPath, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr)
    {
        PolicyDocument policy;
        if (policyPath is null)
        {
            policy = DefaultPolicy.Instance;
        }
        else
        {
            if (!TryRead(policyPath, "策略文件 policy file", stdin, stderr, out var policyBytes))
            {
                return BadInput;
            }

            try
            {
                policy = PolicyJson.Parse(policyBytes);
            }
            catch (ProblemsException ex)
            {
                Report(stderr, $"策略文件 policy file {policyPath}", ex.Problems);
                return BadInput;
            }
        }

        // The input is parsed as it is read: holding the whole document as well as the months parsed from it
        // would double the memory of a large run, and first touching memory is a good part of its time.
        const string What = "输入文件 input file";
        if (!TryOpen(inputPath, What, stdin, stderr, out var input))
        {
            return BadInput;
        }

        EvaluationOutput results;
        using (input)
        {
            try
            {
                results = EvaluationJson.Evaluate(input, policy);
            }
            catch (ProblemsException ex)
            {
                Report(stderr, null, ex.Problems);
                return BadInput;
            }
            catch (IOException ex)
            {
                stderr.WriteLine(CannotRead(What, inputPath, ex));
                return BadInput;
            }
        }

        // Standard output is opened only for an input known to be good, and closed only after a whole output:
        // should evaluating fail (an internal error), it is left untouched, as when results were computed first.
        // Months are written as they are computed (EvaluationJson.Evaluate).
        var output = new BufferedStream(stdout(), 1 << 16);
        results.WriteTo(output);
        output.WriteByte((byte)'\n');
        output.Dispose();
        return Ok;
    }

    private static int ShowPolicy(Func<Stream> stdout)
    {
        using var output = stdout();
        output.Write(PolicyJson.SerializeToUtf8Bytes(DefaultPolicy.Instance));
        output.WriteByte((byte)'\n');
        return Ok;
    }

    private static int ValidatePolicy(string path, Func<Stream> stdin, Func<Stream> stdout, TextWriter stderr)
    {
        if (!TryRead(path, "策略文件 policy file", stdin, stderr, out var bytes))
        {
            return BadInput;
        }

        try
        {
            var policy = PolicyJson.Parse(bytes);
            using var output = new StreamWriter(stdout(), new UTF8Encoding(false));
            output.WriteLine($"策略有效：版本 {policy.Version} (the policy is valid: version {policy.Version})");
            return Ok;
        }
        catch (ProblemsException ex)
        {
            Report(stderr, null, ex.Problems);
            return BadInput;
        }
    }

    private static void Report(TextWriter stderr, string? prefix, IReadOnlyList<Problem> problems)
    {
        foreach (var problem in problems)
        {
            stderr.WriteLine(prefix is null ? problem.ToString() : $"{prefix}: {problem}");
        }
    }

    private static bool TryRead(string path, string what, Func<Stream> stdin, TextWriter stderr, out byte[] bytes)
    {
        bytes = [];
        try
        {
            if (path == "-")
            {
                using var buffer = new MemoryStream();
                using (var input = stdin())
                {
                    input.CopyTo(buffer);
                }

                bytes = buffer.ToArray();
            }
            else
            {
                bytes = File.ReadAllBytes(path);
            }
        }
        catch (Exception ex) when (IsReadError(ex))
        {
            stderr.WriteLine(CannotRead(what, path, ex));
            return false;
        }

        // A UTF-8 byte-order mark is common from Windows editors and is not part of the JSON.
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        return true;
    }

    /// <summary>Opens a file, or standard input for <c>-</c>, to be read as a stream; reports failure as <see cref="TryRead"/> does.</summary>
    private static bool TryOpen(string path, string what, Func<Stream> stdin, TextWriter stderr, out Stream stream)
    {
        stream = Stream.Null;
        try
        {
            // No FileStream buffer: the reader asks for whole blocks of its own.
            stream = path == "-" ? stdin() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return true;
        }
        catch (Exception ex) when (IsReadError(ex))
        {
            stderr.WriteLine(CannotRead(what, path, ex));
            return false;
        }
    }

    private static bool IsReadError(Exception ex) => ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    private static string CannotRead(string what, string path, Exception ex)
    {
        var reason = ex switch
        {
            // Reading a directory throws UnauthorizedAccessException on Unix, which was reported as "permission denied".
            _ when Directory.Exists(path) => "是目录，不是文件 (is a directory, not a file)",
            FileNotFoundException or DirectoryNotFoundException => "文件不存在 (file not found)",
            UnauthorizedAccessException => "没有读取权限 (permission denied)",
            _ => $"无法读取 (cannot be read: {ex.Message})",
        };
        return $"{what} {path}: {reason}";
    }
}
