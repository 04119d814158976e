using Appraisal.Cli;

return CliApp.Run(args, Console.In, StandardInput.Open, Console.OpenStandardOutput, Console.Error);
