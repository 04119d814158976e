using System.Globalization;
using Appraisal.Bench.Generate;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

// Writes a realistic `evaluate` input for benchmarks; see docs/benchmarks.md.
const string Usage = "usage: appraisal-bench-generate [--employees N] [--months M] [--seed S] [--start YYYY-MM] [--case distinct|repetitive] [--indent] [--out FILE|-]";

var employees = 20_000;
var months = 12;
var seed = 20261001UL;
var start = new YearMonth(2025, 1);
var indented = false;
var output = "-";
var shape = GeneratorCase.Distinct;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--indent")
    {
        indented = true;
        continue;
    }

    var value = i + 1 < args.Length ? args[++i] : string.Empty;
    var ok = args[i - 1] switch
    {
        "--employees" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out employees) && employees > 0,
        "--months" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out months) && months > 0,
        "--seed" => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed),
        "--start" => YearMonth.TryParse(value, out start),
        "--out" => (output = value).Length > 0,
        "--case" => Enum.TryParse(value, ignoreCase: true, out shape) && Enum.IsDefined(shape),
        _ => false,
    };
    if (!ok)
    {
        Console.Error.WriteLine($"bad or incomplete argument: {string.Join(' ', args[(i - 1)..(i + 1)])}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

var generator = new InputGenerator(seed, DefaultPolicy.Instance, shape);
using (var stream = output == "-" ? Console.OpenStandardOutput() : new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
{
    generator.Write(stream, employees, months, start, indented);
}

// The benchmark script reads the record count from this line.
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"records {generator.Records} employee-months ({months} months x {employees} employees, {generator.People} distinct ids, seed {seed}, case {shape.ToString().ToLowerInvariant()}; {generator.Assessments} assessments, {generator.DistinctAssessments} distinct)"));
return 0;
