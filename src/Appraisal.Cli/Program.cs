using Appraisal.Cli;

return CliApp.Run(args, Console.In, Console.OpenStandardInput, Console.OpenStandardOutput, Console.Error);
