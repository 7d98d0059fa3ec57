using Reprise.Cli.Infrastructure;

return await CliApp.RunAsync(args).ConfigureAwait(false);
